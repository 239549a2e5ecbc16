package dev.labkafka.api.video;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * What can go wrong with a request about videos, each as an RFC 9457 problem that
 * {@code ApiErrors} renders with its status.
 */
final class VideoProblems {

	private VideoProblems() {
	}

	private static ProblemDetail problem(HttpStatus status, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		return problem;
	}

	/** No video has this id. */
	static final class VideoNotFound extends ErrorResponseException {

		VideoNotFound(String id) {
			super(HttpStatus.NOT_FOUND,
					problem(HttpStatus.NOT_FOUND, "Video not found", "No video has the id " + id + "."), null);
			getBody().setProperty("id", id);
		}

	}

	/** The id in the path is not a MongoDB ObjectId. */
	static final class InvalidVideoId extends ErrorResponseException {

		InvalidVideoId(String id) {
			super(HttpStatus.BAD_REQUEST, problem(HttpStatus.BAD_REQUEST, "Invalid video id",
					"A video id is 24 hexadecimal digits; '" + abbreviate(id) + "' is not."), null);
		}

	}

	/** The upload has no {@code file} part. */
	static final class MissingFilePart extends ErrorResponseException {

		MissingFilePart() {
			super(HttpStatus.BAD_REQUEST, problem(HttpStatus.BAD_REQUEST, "No file in the upload",
					"An upload takes one 'file' part with the video; this one has none."), null);
		}

	}

	/** The upload's file is larger than the limit. */
	static final class UploadTooLarge extends ErrorResponseException {

		UploadTooLarge(long maxFileSize) {
			super(HttpStatus.CONTENT_TOO_LARGE, problem(HttpStatus.CONTENT_TOO_LARGE, "Upload too large",
					"A video may be at most " + maxFileSize + " bytes; this upload is larger."), null);
			getBody().setProperty("maxFileSize", maxFileSize);
		}

	}

	/**
	 * A body that is not the multipart form it claims to be (no boundary, parts that do
	 * not match it, a body that ends early).
	 */
	static final class MalformedUpload extends ErrorResponseException {

		MalformedUpload(String reason) {
			super(HttpStatus.BAD_REQUEST, problem(HttpStatus.BAD_REQUEST, "Malformed multipart body",
					"The multipart/form-data body could not be read: " + abbreviate(reason)), null);
		}

	}

	/** The upload has a {@code file} part with no bytes in it. */
	static final class EmptyUpload extends ErrorResponseException {

		EmptyUpload() {
			super(HttpStatus.BAD_REQUEST,
					problem(HttpStatus.BAD_REQUEST, "Empty upload", "The 'file' part of the upload is empty."), null);
		}

	}

	/** The upload's bytes are not a video container this API knows. */
	static final class NotAVideo extends ErrorResponseException {

		NotAVideo() {
			super(HttpStatus.UNSUPPORTED_MEDIA_TYPE, problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Not a video",
					"The uploaded bytes are not a video: expected MP4, QuickTime, WebM, Matroska, AVI, MPEG-TS, MPEG-PS, FLV or ASF."),
					null);
		}

	}

	/** {@code limit} or {@code skip} out of range. */
	static final class InvalidPaging extends ErrorResponseException {

		InvalidPaging(String parameter, String detail) {
			super(HttpStatus.BAD_REQUEST, problem(HttpStatus.BAD_REQUEST, "Invalid paging", detail), null);
			getBody().setProperty("parameter", parameter);
		}

	}

	/** More than one {@code file} part in an upload. */
	static final class OneFileOnly extends ErrorResponseException {

		OneFileOnly(int files) {
			super(HttpStatus.BAD_REQUEST, problem(HttpStatus.BAD_REQUEST, "One file per upload",
					"An upload takes exactly one 'file' part; this one has " + files + "."), null);
		}

	}

	/** Only a failed video can be retried. */
	static final class NotRetryable extends ErrorResponseException {

		NotRetryable(String id, String status) {
			super(HttpStatus.CONFLICT, problem(HttpStatus.CONFLICT, "Video not failed",
					"Only a failed video can be retried; video " + id + " is " + status + "."), null);
			getBody().setProperty("status", status);
		}

	}

	/** A {@code Range} header that is malformed or lies outside the video. */
	static final class RangeNotSatisfiable extends ErrorResponseException {

		RangeNotSatisfiable(String range, long length) {
			super(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE, problem(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
					"Range not satisfiable",
					"The range '" + abbreviate(range) + "' is malformed or outside the video's " + length + " bytes."),
					null);
			getHeaders().set(HttpHeaders.CONTENT_RANGE, "bytes */" + length);
		}

	}

	private static String abbreviate(String text) {
		return (text.length() > 64) ? text.substring(0, 64) + "…" : text;
	}

}
