package dev.labkafka.api.streaming;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import dev.labkafka.api.catalog.StreamedRenditions;
import dev.labkafka.api.catalog.StreamedRenditions.Level;
import dev.labkafka.api.catalog.VideoCatalog;
import dev.labkafka.api.problems.ApiProblem;
import dev.labkafka.api.problems.Problems;
import dev.labkafka.videos.StoredMedia;
import dev.labkafka.videos.Video;
import dev.labkafka.videos.VideoStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.DigestUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A video's HLS playlists, under {@code /v1/videos/{id}/hls/}. The master lists the
 * levels done so far and can still grow while the video is encoded, so caches ask again
 * each time (its {@code ETag} makes that cheap) until the video is {@code success}; a
 * media playlist describes a file that never changes under its url, like the segments it
 * names, and is kept for a year.
 */
@RestController
@RequestMapping("/v1/videos/{id}/" + StoredMedia.HLS_PATH)
@Tag(name = "videos")
class PlaylistController {

	static final MediaType PLAYLIST = MediaType.parseMediaType(StoredMedia.PLAYLIST_TYPE);

	/** How long the master of a video whose every rendition is done may be kept. */
	static final Duration DONE_MASTER_AGE = Duration.ofHours(1);

	private final VideoCatalog catalog;

	PlaylistController(VideoCatalog catalog) {
		this.catalog = catalog;
	}

	@Operation(summary = "The HLS master playlist",
			description = "Every rendition done so far, the lowest bit rate first; it can grow while the video is "
					+ "encoded.")
	@ApiResponse(responseCode = "200", description = "The master playlist",
			content = @Content(mediaType = StoredMedia.PLAYLIST_TYPE, schema = @Schema(type = "string")))
	@Problems({ ApiProblem.INVALID_VIDEO_ID, ApiProblem.VIDEO_NOT_FOUND, ApiProblem.NO_STREAM })
	@GetMapping("/" + StoredMedia.MASTER_PLAYLIST)
	ResponseEntity<String> master(@PathVariable String id) {
		Video video = this.catalog.find(id);
		List<Level> levels = StreamedRenditions.of(video);
		if (levels.isEmpty()) {
			throw ApiProblem.NO_STREAM.exception(id);
		}
		String text = MasterPlaylist.of(levels);
		CacheControl cache = (video.status() == VideoStatus.SUCCESS)
				? CacheControl.maxAge(DONE_MASTER_AGE).cachePublic() : CacheControl.noCache().cachePublic();
		return ResponseEntity.ok()
			.contentType(PLAYLIST)
			.cacheControl(cache)
			.eTag(DigestUtils.md5DigestAsHex(text.getBytes(StandardCharsets.UTF_8)))
			.body(text);
	}

	@Operation(summary = "The HLS media playlist of one level",
			description = "Its segments are byte ranges of the rendition's file, /v1/videos/{id}/variants/{scale}.")
	@ApiResponse(responseCode = "200", description = "The media playlist",
			content = @Content(mediaType = StoredMedia.PLAYLIST_TYPE, schema = @Schema(type = "string")))
	@Problems({ ApiProblem.INVALID_VIDEO_ID, ApiProblem.VIDEO_NOT_FOUND, ApiProblem.NO_STREAM_LEVEL })
	@GetMapping("/{level}.m3u8")
	ResponseEntity<String> media(@PathVariable String id, @PathVariable String level) {
		Video video = this.catalog.find(id);
		return StreamedRenditions.of(video)
			.stream()
			.filter((streamed) -> Integer.toString(streamed.scale()).equals(level))
			.findFirst()
			.flatMap((streamed) -> this.catalog.mediaPlaylist(video, streamed.scale()))
			.map((playlist) -> ResponseEntity.ok()
				.contentType(PLAYLIST)
				.cacheControl(CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable())
				.eTag(playlist.tag())
				.body(playlist.text()))
			.orElseThrow(() -> ApiProblem.NO_STREAM_LEVEL.exception(id, ApiProblem.abbreviate(level)));
	}

}
