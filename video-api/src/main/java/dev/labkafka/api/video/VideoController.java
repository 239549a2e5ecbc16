package dev.labkafka.api.video;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * The original gateway's REST surface for videos.
 */
@RestController
@RequestMapping("/v1/videos")
class VideoController {

	private final VideoCatalog catalog;

	VideoController(VideoCatalog catalog) {
		this.catalog = catalog;
	}

	@PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
	ResponseEntity<VideoResponse> upload(@RequestPart("file") MultipartFile file) {
		Video video = this.catalog.upload(file);
		return ResponseEntity.created(URI.create("/v1/videos/" + video.id().toHexString()))
			.body(VideoResponse.of(video));
	}

	@GetMapping
	VideoList list(@RequestParam(required = false) @Nullable Integer limit,
			@RequestParam(required = false) @Nullable Integer skip) {
		return new VideoList(this.catalog.list(limit, skip).stream().map(VideoResponse::of).toList());
	}

	@GetMapping("/{id}")
	VideoResponse get(@PathVariable String id) {
		return VideoResponse.of(this.catalog.find(id));
	}

	@DeleteMapping("/{id}")
	Map<String, Object> delete(@PathVariable String id) {
		this.catalog.delete(id);
		return Map.of();
	}

	/** The stored bytes; Spring MVC answers {@code Range} requests with 206 or 416. */
	@GetMapping("/{id}/content")
	ResponseEntity<Resource> content(@PathVariable String id) {
		VideoCatalog.StoredContent content = this.catalog.content(id);
		return ResponseEntity.ok()
			.contentType(MediaType.parseMediaType(content.contentType()))
			.body(content.resource());
	}

	/** A video as the original gateway's JSON shows it. */
	record VideoResponse(String id, int width, int height, long size, double duration, String url, String status,
			Map<String, String> variants, Instant createdAt, Instant updatedAt) {

		static VideoResponse of(Video video) {
			return new VideoResponse(video.id().toHexString(), video.width(), video.height(), video.size(),
					video.duration(), video.url(), video.status(), video.variants(), video.createdAt(),
					video.updatedAt());
		}

	}

	record VideoList(List<VideoResponse> videos) {
	}

}
