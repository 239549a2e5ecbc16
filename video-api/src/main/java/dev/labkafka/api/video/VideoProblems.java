package dev.labkafka.api.video;

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

	/** Kafka did not take the upload's announcement in time; nothing was kept. */
	static final class AnnouncementFailed extends ErrorResponseException {

		AnnouncementFailed(Throwable cause) {
			super(HttpStatus.SERVICE_UNAVAILABLE,
					problem(HttpStatus.SERVICE_UNAVAILABLE, "Message broker unavailable",
							"The video could not be queued for transcoding, so it was not kept. Try again shortly."),
					cause);
		}

	}

	private static String abbreviate(String text) {
		return (text.length() > 64) ? text.substring(0, 64) + "…" : text;
	}

}
