package dev.labkafka.messages;

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * The one message of the pipeline, as in the original lab: which video, where its bytes
 * are, and which rendition to make. {@code scale == 0} announces a new upload (the worker
 * fans it out); any other scale asks for that rendition, or, with a {@link Part}, for one
 * segment of it (a long video's renditions are cut into segments that run side by side).
 *
 * @param id the video's id (a 24-digit hex MongoDB ObjectId)
 * @param url where the original's bytes can be fetched
 * @param scale {@link #ORIGINAL} or one of {@link #RENDITION_SCALES}
 * @param part the segment of the rendition to make, or the video's shared sound; absent
 * (and not written) for a whole rendition, as in the seed's messages
 */
public record VideoMessage(String id, String url, int scale,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Part part) {

	/** The scale of a message that announces a new upload. */
	public static final int ORIGINAL = 0;

	/** The renditions made of every upload, in the order they are fanned out. */
	public static final List<Integer> RENDITION_SCALES = List.of(360, 480, 720, 1080);

	public VideoMessage {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(url, "url");
	}

	/** A message of the seed's kind: an upload, or a whole rendition. */
	public VideoMessage(String id, String url, int scale) {
		this(id, url, scale, null);
	}

	/** The message that announces a new upload. */
	public static VideoMessage uploaded(String id, String url) {
		return new VideoMessage(id, url, ORIGINAL);
	}

	/** Whether this message announces an upload rather than asking for a rendition. */
	public boolean original() {
		return this.scale == ORIGINAL;
	}

	/** The same video, asking for the whole rendition at {@code scale}. */
	public VideoMessage withScale(int scale) {
		return new VideoMessage(this.id, this.url, scale);
	}

	/** The same rendition, asking for one part of it. */
	public VideoMessage withPart(Part part) {
		return new VideoMessage(this.id, this.url, this.scale, part);
	}

	/** The rendition messages this upload fans out to, one per scale. */
	public List<VideoMessage> renditions() {
		return RENDITION_SCALES.stream().map(this::withScale).toList();
	}

	/**
	 * One piece of a rendition cut into segments, or, with index {@link #SOUND}, the
	 * sound that every rendition of the video shares. Segment {@code index} holds the
	 * frames from {@code index * seconds} after the picture's first frame, for
	 * {@code seconds}; the last one runs to the end of the video.
	 *
	 * @param index the segment's place, from 0, or {@link #SOUND}
	 * @param count how many segments the rendition is cut into
	 * @param seconds the plan's segment length
	 * @param height the height of the rendition's picture, in pixels
	 * @param origin the timestamp of the original picture's first frame, in seconds
	 * @param seekMargin how far before a segment's start its job seeks the original, in
	 * seconds: 0 where a seek lands exactly on the keyframe before (MP4, the only kind
	 * the worker cuts today)
	 */
	public record Part(int index, int count, double seconds, int height, double origin, double seekMargin) {

		/** The longest segment a part can be, in seconds. */
		public static final int MAX_SECONDS = 3600;

		/** The index of the part that is the video's shared sound. */
		public static final int SOUND = -1;

		/** The shared sound of a video whose renditions are cut into {@code count}. */
		public static Part sound(int count) {
			return new Part(SOUND, count, 0, 0, 0, 0);
		}

		/** Whether this part is the shared sound rather than a segment. */
		public boolean sound() {
			return this.index == SOUND;
		}

		/** Whether this is the last segment: it runs to the end of the video. */
		public boolean last() {
			return this.index == this.count - 1;
		}

		/** Where the segment starts, in seconds after the picture's first frame. */
		public double start() {
			return this.index * this.seconds;
		}

		/**
		 * Whether the part is one a plan can hold: the sound, or a segment of a plan of
		 * two or more, of a length and a picture height above nothing.
		 */
		public boolean valid() {
			if (sound()) {
				return this.count > 0;
			}
			return this.count >= 2 && this.index >= 0 && this.index < this.count && this.seconds > 0
					&& this.seconds <= MAX_SECONDS && this.height >= 2 && this.seekMargin >= 0
					&& Double.isFinite(this.origin) && Double.isFinite(this.seekMargin);
		}

	}

}
