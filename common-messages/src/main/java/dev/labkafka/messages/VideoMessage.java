package dev.labkafka.messages;

import java.util.List;
import java.util.Objects;

/**
 * The one message of the pipeline, as in the original lab: which video, where its bytes
 * are, and which rendition to make. {@code scale == 0} announces a new upload (the worker
 * fans it out); any other scale asks for that rendition.
 *
 * @param id the video's id (a 24-digit hex MongoDB ObjectId)
 * @param url where the original's bytes can be fetched
 * @param scale {@link #ORIGINAL} or one of {@link #RENDITION_SCALES}
 */
public record VideoMessage(String id, String url, int scale) {

	/** The scale of a message that announces a new upload. */
	public static final int ORIGINAL = 0;

	/** The renditions made of every upload, in the order they are fanned out. */
	public static final List<Integer> RENDITION_SCALES = List.of(360, 480, 720, 1080);

	public VideoMessage {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(url, "url");
	}

	/** The message that announces a new upload. */
	public static VideoMessage uploaded(String id, String url) {
		return new VideoMessage(id, url, ORIGINAL);
	}

	/** Whether this message announces an upload rather than asking for a rendition. */
	public boolean original() {
		return this.scale == ORIGINAL;
	}

	/** The same video, asking for the rendition at {@code scale}. */
	public VideoMessage withScale(int scale) {
		return new VideoMessage(this.id, this.url, scale);
	}

	/** The rendition messages this upload fans out to, one per scale. */
	public List<VideoMessage> renditions() {
		return RENDITION_SCALES.stream().map(this::withScale).toList();
	}

}
