package dev.labkafka.videos;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where a video is in the pipeline, as the {@code status} field of its document holds it
 * (the lower-case {@link #word()}):
 *
 * <pre>
 * uploaded --(fan-out)--> encoding --(last rendition)--> success
 *     ^                      |
 *     |                      +--(a step gave up)--> failed
 *     +--(retry, or no progress and nothing queued)--+
 * </pre>
 */
public enum VideoStatus {

	/**
	 * Stored by the API; its announcement is queued for the fan-out (or in the outbox).
	 */
	UPLOADED,

	/** Fanned out by the worker; its renditions are queued or being made. */
	ENCODING,

	/** Every rendition is in {@code variants}. */
	SUCCESS,

	/** A step gave up; the document's {@code error} says why. */
	FAILED;

	/** The states a video can still leave without anyone asking. */
	public static final List<VideoStatus> IN_PROGRESS = List.of(UPLOADED, ENCODING);

	/** The word stored in the document and shown by the API (in JSON too). */
	@JsonValue
	public String word() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** Its word, as in logs. */
	@Override
	public String toString() {
		return word();
	}

	/** The status a stored word names, if any. */
	public static Optional<VideoStatus> of(String word) {
		return Arrays.stream(values()).filter((status) -> status.word().equals(word)).findFirst();
	}

}
