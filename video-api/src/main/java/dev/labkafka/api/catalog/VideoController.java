package dev.labkafka.api.video;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.labkafka.api.video.VideoProblems.RangeNotSatisfiable;
import dev.labkafka.api.web.ProblemResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
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

	static final String INVALID_ID = "A video id is 24 hexadecimal digits; 'abc' is not.";

	static final String NOT_FOUND = "No video has the id 6650a1f2c3d4e5f6a7b8c9d0.";

	static final String RANGE = "The range 'bytes=999999-' is malformed or outside the video's 1024 bytes.";

	/** The most videos one page holds. */
	static final int MAX_LIMIT = 100;

	private final VideoCatalog catalog;

	private final VideoApiSettings settings;

	private final UploadSlots slots;

	VideoController(VideoCatalog catalog, VideoApiSettings settings, UploadSlots slots) {
		this.catalog = catalog;
		this.settings = settings;
		this.slots = slots;
	}

	/**
	 * Takes a {@code multipart/form-data} body with one {@code file} part, read as it
	 * arrives (see {@link MultipartUpload}).
	 */
	@Operation(summary = "Upload a video",
			description = "Stores the file part as it arrives, then announces the video to the worker, which makes "
					+ "its renditions. The container format is recognised from the bytes.",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
					content = @Content(mediaType = MediaType.MULTIPART_FORM_DATA_VALUE,
							schema = @Schema(implementation = UploadForm.class))))
	@ApiResponse(responseCode = "201", description = "Stored; its renditions are on their way")
	@ProblemResponse(status = 400, title = "No file in the upload",
			detail = "The multipart body has no part named 'file'.")
	@ProblemResponse(status = 400, title = "Malformed multipart body", detail = "The body ended before its last part.")
	@ProblemResponse(status = 413, title = "Upload too large", detail = "The file is larger than 1GB.")
	@ProblemResponse(status = 415, title = "Not a video",
			detail = "The file is not in a video container format the API knows.")
	@ProblemResponse(status = 503, title = "Too many uploads",
			detail = "This server is reading 32 uploads at once, as many as it may. Try again shortly.")
	@PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
	ResponseEntity<VideoResponse> upload(HttpServletRequest request) {
		Video video;
		try (UploadSlots.Slot slot = this.slots.take()) {
			video = this.catalog.upload(MultipartUpload.of(request, this.settings.upload()));
		}
		return ResponseEntity.created(URI.create("/v1/videos/" + video.id().toHexString()))
			.body(VideoResponse.of(video, this.settings));
	}

	/** A page of videos, newest first; Spring validates the paging parameters. */
	@Operation(summary = "List videos, newest first")
	@ProblemResponse(status = 400, title = "Invalid request parameter",
			detail = "limit must be less than or equal to 100")
	@GetMapping
	VideoList list(@RequestParam(defaultValue = "20") @Min(1) @Max(MAX_LIMIT) int limit,
			@RequestParam(defaultValue = "0") @Min(0) int skip) {
		return new VideoList(this.catalog.list(skip, limit)
			.stream()
			.map((video) -> VideoResponse.of(video, this.settings))
			.toList());
	}

	@Operation(summary = "One video")
	@ProblemResponse(status = 400, title = "Invalid video id", detail = INVALID_ID)
	@ProblemResponse(status = 404, title = "Video not found", detail = NOT_FOUND)
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
	@ProblemResponse(status = 400, title = "Invalid video id", detail = INVALID_ID)
	@ProblemResponse(status = 404, title = "Video not found", detail = NOT_FOUND)
	@ProblemResponse(status = 409, title = "Video not failed",
			detail = "Only a failed video can be retried; this one is success.")
	@PostMapping("/{id}/retry")
	ResponseEntity<VideoResponse> retry(@PathVariable String id) {
		return ResponseEntity.accepted().body(VideoResponse.of(this.catalog.retry(id), this.settings));
	}

	@Operation(summary = "Delete a video", description = "Its document, its bytes, poster frame and renditions.")
	@ProblemResponse(status = 400, title = "Invalid video id", detail = INVALID_ID)
	@ProblemResponse(status = 404, title = "Video not found", detail = NOT_FOUND)
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
	@ProblemResponse(status = 400, title = "Invalid video id", detail = INVALID_ID)
	@ProblemResponse(status = 404, title = "Video not found", detail = NOT_FOUND)
	@ProblemResponse(status = 416, title = "Range not satisfiable", detail = RANGE)
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
	@ProblemResponse(status = 400, title = "Invalid video id", detail = INVALID_ID)
	@ProblemResponse(status = 404, title = "Video not found", detail = NOT_FOUND)
	@ProblemResponse(status = 404, title = "No thumbnail",
			detail = "Video 6650a1f2c3d4e5f6a7b8c9d0 has no thumbnail yet.")
	@ProblemResponse(status = 416, title = "Range not satisfiable", detail = RANGE)
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
	@Operation(summary = "A rendition ffmpeg encoded, as MP4", description = "With Range support (206).")
	@ApiResponse(responseCode = "200", description = "The rendition",
			content = @Content(mediaType = StoredMedia.RENDITION_TYPE,
					schema = @Schema(type = "string", format = "binary")))
	@ProblemResponse(status = 400, title = "Invalid video id", detail = INVALID_ID)
	@ProblemResponse(status = 404, title = "Video not found", detail = NOT_FOUND)
	@ProblemResponse(status = 404, title = "No such rendition",
			detail = "Video 6650a1f2c3d4e5f6a7b8c9d0 has no file of its own for rendition 1080.")
	@ProblemResponse(status = 416, title = "Range not satisfiable", detail = RANGE)
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

	record VideoList(List<VideoResponse> videos) {
	}

	/** The upload's form, for the OpenAPI description. */
	record UploadForm(@Schema(type = "string", format = "binary", description = "The video") String file) {
	}

}
