package dev.labkafka.api.video;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.labkafka.api.video.VideoProblems.RangeNotSatisfiable;
import dev.labkafka.videos.StoredMedia;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRange;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The original gateway's REST surface for videos.
 */
@RestController
@RequestMapping("/v1/videos")
class VideoController {

	/** The most videos one page holds. */
	static final int MAX_LIMIT = 100;

	private final VideoCatalog catalog;

	private final VideoApiSettings settings;

	VideoController(VideoCatalog catalog, VideoApiSettings settings) {
		this.catalog = catalog;
		this.settings = settings;
	}

	/**
	 * Takes a {@code multipart/form-data} body with one {@code file} part, read as it
	 * arrives (see {@link MultipartUpload}).
	 */
	@PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
	ResponseEntity<VideoResponse> upload(HttpServletRequest request) {
		Video video = this.catalog.upload(MultipartUpload.of(request, this.settings.upload()));
		return ResponseEntity.created(URI.create("/v1/videos/" + video.id().toHexString()))
			.body(VideoResponse.of(video, this.settings));
	}

	/** A page of videos, newest first; Spring validates the paging parameters. */
	@GetMapping
	VideoList list(@RequestParam(defaultValue = "20") @Min(1) @Max(MAX_LIMIT) int limit,
			@RequestParam(defaultValue = "0") @Min(0) int skip) {
		return new VideoList(this.catalog.list(skip, limit)
			.stream()
			.map((video) -> VideoResponse.of(video, this.settings))
			.toList());
	}

	@GetMapping("/{id}")
	VideoResponse get(@PathVariable String id) {
		return VideoResponse.of(this.catalog.find(id), this.settings);
	}

	/** Sends a failed video through the pipeline again. */
	@PostMapping("/{id}/retry")
	ResponseEntity<VideoResponse> retry(@PathVariable String id) {
		return ResponseEntity.accepted().body(VideoResponse.of(this.catalog.retry(id), this.settings));
	}

	@DeleteMapping("/{id}")
	Map<String, Object> delete(@PathVariable String id) {
		this.catalog.delete(id);
		return Map.of();
	}

	/**
	 * The stored bytes. Spring MVC serves a satisfiable {@code Range} with 206; a range
	 * that is malformed or outside the video gets a 416 problem here.
	 */
	@GetMapping("/{id}/" + StoredMedia.CONTENT_PATH)
	ResponseEntity<Resource> content(@PathVariable String id,
			@RequestHeader(name = HttpHeaders.RANGE, required = false) @Nullable String range) throws IOException {
		VideoCatalog.StoredContent content = this.catalog.content(id);
		checkRange(range, content.resource());
		return ResponseEntity.ok()
			.contentType(MediaType.parseMediaType(content.contentType()))
			.body(content.resource());
	}

	/**
	 * The poster frame, a JPEG, once the worker has made it (404 before). It may be made
	 * again when a video is retried, so it is cached for an hour, with an {@code ETag}.
	 */
	@GetMapping("/{id}/" + StoredMedia.THUMBNAIL_PATH)
	ResponseEntity<Resource> thumbnail(@PathVariable String id,
			@RequestHeader(name = HttpHeaders.RANGE, required = false) @Nullable String range) throws IOException {
		VideoFiles.StoredFile thumbnail = this.catalog.thumbnail(id);
		checkRange(range, thumbnail);
		return ResponseEntity.ok()
			.contentType(MediaType.parseMediaType(StoredMedia.THUMBNAIL_TYPE))
			.eTag(thumbnail.tag())
			.cacheControl(CacheControl.maxAge(Duration.ofHours(1)).cachePublic())
			.body(thumbnail);
	}

	/**
	 * A rendition the ffmpeg transcoder encoded: MP4, with {@code Range} support. A file
	 * stored under a rendition's url never changes (a new one would have another
	 * {@code ETag}), so caches may keep it for a year without asking again.
	 */
	@GetMapping("/{id}/" + StoredMedia.VARIANTS_PATH + "/{scale}")
	ResponseEntity<Resource> variant(@PathVariable String id, @PathVariable int scale,
			@RequestHeader(name = HttpHeaders.RANGE, required = false) @Nullable String range) throws IOException {
		VideoFiles.StoredFile rendition = this.catalog.rendition(id, scale);
		checkRange(range, rendition);
		return ResponseEntity.ok()
			.contentType(MediaType.parseMediaType(StoredMedia.RENDITION_TYPE))
			.eTag(rendition.tag())
			.cacheControl(CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable())
			.body(rendition);
	}

	/** A malformed or unsatisfiable {@code Range} gets a 416 problem. */
	private static void checkRange(@Nullable String range, Resource resource) throws IOException {
		if (range == null) {
			return;
		}
		try {
			HttpRange.toResourceRegions(HttpRange.parseRanges(range), resource);
		}
		catch (IllegalArgumentException ex) {
			throw new RangeNotSatisfiable(range, resource.contentLength());
		}
	}

	/**
	 * A video as the original gateway's JSON shows it; the {@code error} that made it
	 * fail, if it did; where its poster frame is, once there is one; and what its
	 * renditions really are, when ffmpeg made them.
	 */
	record VideoResponse(String id, int width, int height, long size, double duration, String url, String status,
			Map<String, String> variants, @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String error,
			Instant createdAt, Instant updatedAt, @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String thumbnail,
			@JsonInclude(JsonInclude.Include.NON_EMPTY) @Nullable Map<String, Video.Rendition> renditions) {

		static VideoResponse of(Video video, VideoApiSettings settings) {
			String id = video.id().toHexString();
			return new VideoResponse(id, video.width(), video.height(), video.size(), video.duration(), video.url(),
					video.status(), video.variants(), video.error(), video.createdAt(), video.updatedAt(),
					video.hasThumbnail() ? settings.thumbnailUrl(id) : null, video.renditions());
		}

	}

	record VideoList(List<VideoResponse> videos) {
	}

}
