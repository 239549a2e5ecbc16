package dev.labkafka.messages;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A video's state changed: a message on {@link Topics#PROGRESS}. It says which video and
 * what happened; the video's document holds the state itself, which readers fetch.
 *
 * @param id the video's id (a 24-digit hex MongoDB ObjectId)
 * @param change what happened: one of the constants below
 * @param scale the rendition that was done, for {@link #RENDITION}, or that moved on, for
 * {@link #SEGMENT}; otherwise {@code null}
 */
public record ProgressMessage(String id, String change, @Nullable Integer scale) {

	/** A new status: the video's {@code status} field changed. */
	public static final String STATUS = "status";

	/** A rendition was recorded in {@code variants}. */
	public static final String RENDITION = "rendition";

	/**
	 * One more segment of a rendition cut into segments was stored: its progress in the
	 * video's {@code segments.<scale>} moved on.
	 */
	public static final String SEGMENT = "segment";

	/** Its metadata (size, duration, poster frame) was found. */
	public static final String MEDIA = "media";

	/** The video was deleted. */
	public static final String DELETED = "deleted";

	public ProgressMessage {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(change, "change");
	}

	public static ProgressMessage status(String id) {
		return new ProgressMessage(id, STATUS, null);
	}

	public static ProgressMessage rendition(String id, int scale) {
		return new ProgressMessage(id, RENDITION, scale);
	}

	public static ProgressMessage segment(String id, int scale) {
		return new ProgressMessage(id, SEGMENT, scale);
	}

	public static ProgressMessage media(String id) {
		return new ProgressMessage(id, MEDIA, null);
	}

	public static ProgressMessage deleted(String id) {
		return new ProgressMessage(id, DELETED, null);
	}

}
