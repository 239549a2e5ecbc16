package dev.labkafka.api.video;

import dev.labkafka.api.ApiErrors;
import dev.labkafka.api.video.VideoExceptions.EmptyUpload;
import dev.labkafka.api.video.VideoExceptions.InvalidUploadRequest;
import dev.labkafka.api.video.VideoExceptions.OffsetMismatch;
import dev.labkafka.api.video.VideoExceptions.TooManyUploads;
import dev.labkafka.api.video.VideoExceptions.UnsupportedTusVersion;
import dev.labkafka.api.video.VideoExceptions.UploadBusy;
import dev.labkafka.api.video.VideoExceptions.UploadComplete;
import dev.labkafka.api.video.VideoExceptions.UploadExpired;
import dev.labkafka.api.video.VideoExceptions.UploadNotFound;
import dev.labkafka.api.video.VideoExceptions.InvalidLastEventId;
import dev.labkafka.api.video.VideoExceptions.InvalidVideoId;
import dev.labkafka.api.video.VideoExceptions.MalformedUpload;
import dev.labkafka.api.video.VideoExceptions.MissingFilePart;
import dev.labkafka.api.video.VideoExceptions.NoEventStream;
import dev.labkafka.api.video.VideoExceptions.NotAVideo;
import dev.labkafka.api.video.VideoExceptions.NotRetryable;
import dev.labkafka.api.video.VideoExceptions.OneFileOnly;
import dev.labkafka.api.video.VideoExceptions.UploadTooLarge;
import dev.labkafka.api.video.VideoExceptions.NoRendition;
import dev.labkafka.api.video.VideoExceptions.NoThumbnail;
import dev.labkafka.api.video.VideoExceptions.VideoNotFound;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The HTTP face of {@link VideoExceptions}: each becomes an RFC 9457 problem with its
 * status, a title, and the exception's message as the detail. It comes before the API's
 * catch-all handler.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class VideoProblems {

	@ExceptionHandler
	ProblemDetail notFound(VideoNotFound ex) {
		ProblemDetail problem = problem(HttpStatus.NOT_FOUND, "Video not found", ex);
		problem.setProperty("id", ex.id());
		return problem;
	}

	@ExceptionHandler
	ProblemDetail noThumbnail(NoThumbnail ex) {
		return problem(HttpStatus.NOT_FOUND, "No thumbnail", ex);
	}

	@ExceptionHandler
	ProblemDetail noRendition(NoRendition ex) {
		return problem(HttpStatus.NOT_FOUND, "No such rendition", ex);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> noEventStream(NoEventStream ex) {
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, ApiErrors.RETRY_AFTER_SECONDS)
			.body(problem(HttpStatus.SERVICE_UNAVAILABLE, "No event stream available", ex));
	}

	@ExceptionHandler
	ProblemDetail invalidLastEventId(InvalidLastEventId ex) {
		return problem(HttpStatus.BAD_REQUEST, "Invalid Last-Event-ID", ex);
	}

	@ExceptionHandler
	ProblemDetail invalidId(InvalidVideoId ex) {
		return problem(HttpStatus.BAD_REQUEST, "Invalid video id", ex);
	}

	@ExceptionHandler
	ProblemDetail notRetryable(NotRetryable ex) {
		ProblemDetail problem = problem(HttpStatus.CONFLICT, "Video not failed", ex);
		problem.setProperty("status", ex.status());
		return problem;
	}

	@ExceptionHandler
	ProblemDetail missingFile(MissingFilePart ex) {
		return problem(HttpStatus.BAD_REQUEST, "No file in the upload", ex);
	}

	@ExceptionHandler
	ProblemDetail twoFiles(OneFileOnly ex) {
		return problem(HttpStatus.BAD_REQUEST, "One file per upload", ex);
	}

	@ExceptionHandler
	ProblemDetail empty(EmptyUpload ex) {
		return problem(HttpStatus.BAD_REQUEST, "Empty upload", ex);
	}

	@ExceptionHandler
	ProblemDetail notAVideo(NotAVideo ex) {
		return problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Not a video", ex);
	}

	@ExceptionHandler
	ProblemDetail tooLarge(UploadTooLarge ex) {
		ProblemDetail problem = problem(HttpStatus.CONTENT_TOO_LARGE, "Upload too large", ex);
		problem.setProperty("maxFileSize", ex.maxFileSize());
		return problem;
	}

	@ExceptionHandler
	ProblemDetail malformed(MalformedUpload ex) {
		return problem(HttpStatus.BAD_REQUEST, "Malformed multipart body", ex);
	}

	@ExceptionHandler
	ProblemDetail uploadNotFound(UploadNotFound ex) {
		return problem(HttpStatus.NOT_FOUND, "Upload not found", ex);
	}

	@ExceptionHandler
	ProblemDetail uploadExpired(UploadExpired ex) {
		return problem(HttpStatus.GONE, "Upload expired", ex);
	}

	@ExceptionHandler
	ProblemDetail offsetMismatch(OffsetMismatch ex) {
		ProblemDetail problem = problem(HttpStatus.CONFLICT, "Wrong offset", ex);
		problem.setProperty("offset", ex.offset());
		return problem;
	}

	@ExceptionHandler
	ProblemDetail uploadBusy(UploadBusy ex) {
		return problem(HttpStatus.CONFLICT, "Upload busy", ex);
	}

	@ExceptionHandler
	ProblemDetail uploadComplete(UploadComplete ex) {
		return problem(HttpStatus.CONFLICT, "Upload complete", ex);
	}

	@ExceptionHandler
	ProblemDetail invalidUploadRequest(InvalidUploadRequest ex) {
		return problem(HttpStatus.BAD_REQUEST, "Invalid upload request", ex);
	}

	@ExceptionHandler
	ProblemDetail unsupportedTusVersion(UnsupportedTusVersion ex) {
		return problem(HttpStatus.PRECONDITION_FAILED, "Unsupported tus version", ex);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> tooManyUploads(TooManyUploads ex) {
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, ApiErrors.RETRY_AFTER_SECONDS)
			.body(problem(HttpStatus.SERVICE_UNAVAILABLE, "Too many uploads", ex));
	}

	private static ProblemDetail problem(HttpStatus status, String title, RuntimeException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, ex.getMessage());
		problem.setTitle(title);
		return problem;
	}

	/** A {@code Range} header that is malformed or lies outside the video. */
	static final class RangeNotSatisfiable extends ErrorResponseException {

		RangeNotSatisfiable(String range, long length) {
			super(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE, rangeProblem(range, length), null);
			getHeaders().set(HttpHeaders.CONTENT_RANGE, "bytes */" + length);
		}

		private static ProblemDetail rangeProblem(String range, long length) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
					"The range '" + VideoExceptions.abbreviate(range) + "' is malformed or outside the video's "
							+ length + " bytes.");
			problem.setTitle("Range not satisfiable");
			return problem;
		}

	}

}
