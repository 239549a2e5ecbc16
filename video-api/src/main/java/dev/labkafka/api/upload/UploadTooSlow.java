package dev.labkafka.api.upload;

import java.io.IOException;
import java.time.Duration;

import dev.labkafka.api.problems.ApiProblem;
import dev.labkafka.api.problems.ProblemException;

/**
 * An upload body that came under the minimum rate ({@code video.api.upload.min-rate}):
 * reading it stops. It is an {@link IOException}, a failed read, so that every reader of
 * a body ends as it does when the client goes away (a multipart upload keeps nothing, a
 * resumable one what arrived); its {@link #problem()} is the answer.
 */
public final class UploadTooSlow extends IOException {

	private final long bytes;

	private final Duration waited;

	private final long minRate;

	UploadTooSlow(long bytes, Duration waited, long minRate) {
		super("the body brought " + bytes + " bytes in " + waited + ", under " + minRate + " bytes per second");
		this.bytes = bytes;
		this.waited = waited;
		this.minRate = minRate;
	}

	/** The answer: {@link ApiProblem#UPLOAD_TOO_SLOW}. */
	public ProblemException problem() {
		return ApiProblem.UPLOAD_TOO_SLOW.exception(this.bytes, this.waited.toSeconds(), this.minRate);
	}

}
