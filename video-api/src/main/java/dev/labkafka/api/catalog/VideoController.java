package dev.labkafka.api.catalog;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.labkafka.api.VideoApiSettings;
import dev.labkafka.api.problems.ApiProblem;
import dev.labkafka.api.problems.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import dev.labkafka.videos.StoredMedia;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRange;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
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
@Tag(name = "videos")
class VideoController {

	/** The most videos one page holds. */
	static final int MAX_LIMIT = 100;

	private final VideoCatalog catalog;

	private final VideoApiSettings settings;

	VideoController(VideoCatalog catalog, VideoApiSettings settings) {
		this.catalog = catalog;
		this.settings = settings;
	}

	/** A page of videos, newest first; Spring validates the paging parameters. */
	@Operation(summary = "List videos, newest first")
	@Problems(ApiProblem.INVALID_PARAMETER)
	@GetMapping
	VideoList list(@RequestParam(defaultValue = "20") @Min(1) @Max(MAX_LIMIT) int limit,
			@RequestParam(defaultValue = "0") @Min(0) int skip) {
		return new VideoList(this.catalog.list(skip, limit)
			.stream()
			.map((video) -> VideoResponse.of(video, this.settings))
			.toList());
	}

	@Operation(summary = "One video")
	@Problems({ ApiProblem.INVALID_VIDEO_ID, ApiProblem.VIDEO_NOT_FOUND })
	@GetMapping("/{id}")
	VideoResponse get(@PathVariable String id) throws HttpMediaTypeNotAcceptableException {
		if (id.equals("events")) {
			// GET /v1/videos/events for anything but text/event-stream.
			throw new HttpMediaTypeNotAcceptableException(List.of(MediaType.TEXT_EVENT_STREAM));
		}
		return VideoResponse.of(this.catalog.find(id), this.settings);
	}

	/** Sends a failed video through the pipeline again. */
	@Operation(summary = "Send a failed video through the pipeline again")
	@ApiResponse(responseCode = "202", description = "Sent again; its status is uploaded")
	@Problems({ ApiProblem.INVALID_VIDEO_ID, ApiProblem.VIDEO_NOT_FOUND, ApiProblem.NOT_RETRYABLE,
			ApiProblem.TOKEN_NEEDED, ApiProblem.SCOPE_MISSING })
	@PostMapping("/{id}/retry")
	ResponseEntity<VideoResponse> retry(@PathVariable String id) {
		return ResponseEntity.accepted().body(VideoResponse.of(this.catalog.retry(id), this.settings));
	}

	@Operation(summary = "Delete a video", description = "Its document, its bytes, poster frame and renditions.")
	@Problems({ ApiProblem.INVALID_VIDEO_ID, ApiProblem.VIDEO_NOT_FOUND, ApiProblem.TOKEN_NEEDED,
			ApiProblem.SCOPE_MISSING })
	@DeleteMapping("/{id}")
	Map<String, Object> delete(@PathVariable String id) {
		this.catalog.delete(id);
		return Map.of();
	}

	/**
	 * The stored bytes. Spring MVC serves a satisfiable {@code Range} with 206; a range
	 * that is malformed or outside the video gets a 416 problem here.
	 */
	@Operation(summary = "The uploaded bytes", description = "With Range support (206).")
	@ApiResponse(responseCode = "200", description = "The video as uploaded",
			content = @Content(mediaType = "video/*", schema = @Schema(type = "string", format = "binary")))
	@Problems({ ApiProblem.INVALID_VIDEO_ID, ApiProblem.VIDEO_NOT_FOUND, ApiProblem.RANGE_NOT_SATISFIABLE,
			ApiProblem.CONTENT_DAMAGED })
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
	@Operation(summary = "The poster frame, a JPEG", description = "Once the worker has probed the video.")
	@ApiResponse(responseCode = "200", description = "The poster frame",
			content = @Content(mediaType = StoredMedia.THUMBNAIL_TYPE,
					schema = @Schema(type = "string", format = "binary")))
	@Problems({ ApiProblem.INVALID_VIDEO_ID, ApiProblem.VIDEO_NOT_FOUND, ApiProblem.NO_THUMBNAIL,
			ApiProblem.RANGE_NOT_SATISFIABLE, ApiProblem.CONTENT_DAMAGED })
	@GetMapping("/{id}/" + StoredMedia.THUMBNAIL_PATH)
	ResponseEntity<Resource> thumbnail(@PathVariable String id,
			@RequestHeader(name = HttpHeaders.RANGE, required = false) @Nullable String range) throws IOException {
		StoredFile thumbnail = this.catalog.thumbnail(id);
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
	@Operation(summary = "A rendition ffmpeg encoded, as MP4", description = "With Range support (206).")
	@ApiResponse(responseCode = "200", description = "The rendition",
			content = @Content(mediaType = StoredMedia.RENDITION_TYPE,
					schema = @Schema(type = "string", format = "binary")))
	@Problems({ ApiProblem.INVALID_VIDEO_ID, ApiProblem.VIDEO_NOT_FOUND, ApiProblem.NO_RENDITION,
			ApiProblem.RANGE_NOT_SATISFIABLE, ApiProblem.CONTENT_DAMAGED })
	@GetMapping({ "/{id}/" + StoredMedia.VARIANTS_PATH + "/{scale}",
			"/{id}/" + StoredMedia.VARIANTS_PATH + "/{scale}" + StoredMedia.MP4_SUFFIX })
	ResponseEntity<Resource> variant(@PathVariable String id, @PathVariable int scale,
			@RequestHeader(name = HttpHeaders.RANGE, required = false) @Nullable String range) throws IOException {
		StoredFile rendition = this.catalog.rendition(id, scale);
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
			long length = resource.contentLength();
			throw ApiProblem.RANGE_NOT_SATISFIABLE.exception(ApiProblem.abbreviate(range), length)
				.withHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + length);
		}
	}

	record VideoList(List<VideoResponse> videos) {
	}

}
