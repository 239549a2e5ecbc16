package dev.labkafka.videos;

import java.util.List;

import java.util.stream.IntStream;

import org.jspecify.annotations.Nullable;

import org.springframework.data.mongodb.core.mapping.Field;

/**
 * How far a rendition cut into segments is, in the video's {@link VideoFields#SEGMENTS}:
 * the worker encodes a long video's renditions as segments spread over its consumers, and
 * stitches each rendition once its last segment is stored.
 *
 * @param planned how many segments the rendition is cut into
 * @param done the indexes of the segments stored so far, each once
 * @param seconds the plan's segment length (the last one runs to the end)
 * @param duration the original's length, in seconds, as ffprobe said when it was planned
 * @param soundOffset how much later than the picture the original's sound starts, in
 * seconds (negative when it starts earlier): kept when the sound is muxed in
 */
public record SegmentProgress(int planned, @Nullable List<Integer> done, @Nullable Double seconds,
		@Nullable Double duration, @Field(VideoFields.SOUND_OFFSET) @Nullable Double soundOffset) {

	/** A plan of which only the count is said. */
	public SegmentProgress(int planned, @Nullable List<Integer> done) {
		this(planned, done, null, null, null);
	}

	/** A new plan, nothing stored yet. */
	public static SegmentProgress planned(int planned, double seconds, double duration, double soundOffset) {
		return new SegmentProgress(planned, List.of(), seconds, duration, soundOffset);
	}

	/** Whether segment {@code index} is stored. */
	public boolean stored(int index) {
		return this.done != null && this.done.contains(index);
	}

	/**
	 * How long the rendition should be, in seconds: the original's length, or, in a plan
	 * that does not say it, what all segments but the last make.
	 */
	public double expectedSeconds() {
		if (this.duration != null) {
			return this.duration;
		}
		return (this.seconds != null) ? (this.planned - 1) * this.seconds : 0;
	}

	/** How many segments are stored. */
	public int doneCount() {
		return (this.done != null) ? this.done.size() : 0;
	}

	/** Whether every segment of the plan, 0 to {@code planned - 1}, is stored. */
	public boolean complete() {
		if (this.planned <= 0 || this.done == null) {
			return false;
		}
		return IntStream.range(0, this.planned).allMatch(this.done::contains);
	}

	/** The segments stored out of those planned, as a whole percentage (rounded down). */
	public int percent() {
		return (this.planned > 0) ? Math.min(100, doneCount() * 100 / this.planned) : 0;
	}

}
