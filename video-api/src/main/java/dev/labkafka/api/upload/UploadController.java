package dev.labkafka.api.upload;

import java.io.IOException;
import java.net.URI;

import dev.labkafka.api.VideoApiSettings;
import dev.labkafka.api.catalog.VideoResponse;
import dev.labkafka.api.problems.ApiProblem;
import dev.labkafka.api.problems.Problems;
import dev.labkafka.videos.Video;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The seed's upload: {@code POST /v1/videos} with a {@code multipart/form-data} body of
 * one {@code file} part, read as it arrives ({@link MultipartUpload}), while it holds one
 * of this instance's upload slots.
 */
@RestController
@RequestMapping("/v1/videos")
@Tag(name = "videos")
class UploadController {

	private final Uploads uploads;

	private final UploadSlots slots;

	private final VideoApiSettings settings;

	UploadController(Uploads uploads, UploadSlots slots, VideoApiSettings settings) {
		this.uploads = uploads;
		this.slots = slots;
		this.settings = settings;
	}

	@Operation(summary = "Upload a video",
			description = "Stores the file part as it arrives, then announces the video to the worker, which makes "
					+ "its renditions. The container format is recognised from the bytes.",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
					content = @Content(mediaType = MediaType.MULTIPART_FORM_DATA_VALUE,
							schema = @Schema(implementation = UploadForm.class))))
	@ApiResponse(responseCode = "201", description = "Stored; its renditions are on their way")
	@Problems({ ApiProblem.MISSING_FILE_PART, ApiProblem.ONE_FILE_ONLY, ApiProblem.EMPTY_UPLOAD,
			ApiProblem.MALFORMED_UPLOAD, ApiProblem.UPLOAD_TOO_LARGE, ApiProblem.NOT_A_VIDEO,
			ApiProblem.TOO_MANY_UPLOADS, ApiProblem.TOO_MANY_UPLOADS_FROM_CLIENT, ApiProblem.UPLOAD_TOO_SLOW,
			ApiProblem.TOKEN_NEEDED, ApiProblem.SCOPE_MISSING })
	@PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
	ResponseEntity<VideoResponse> upload(HttpServletRequest request) throws IOException {
		Video video;
		try (UploadSlots.Slot slot = this.slots.take(request)) {
			video = this.uploads.store(MultipartUpload.of(request, slot.body(request), this.settings.upload()));
		}
		return ResponseEntity.created(URI.create("/v1/videos/" + video.id().toHexString()))
			.body(VideoResponse.of(video, this.settings));
	}

	/** The upload's form, for the OpenAPI description. */
	record UploadForm(@Schema(type = "string", format = "binary", description = "The video") String file) {
	}

}
