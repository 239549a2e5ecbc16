package dev.labkafka.videos;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * How far a rendition cut into segments is, in the video's {@link VideoFields#SEGMENTS}:
 * the worker encodes a long video's renditions as segments spread over its consumers, and
 * stitches each rendition once its last segment is stored.
 *
 * @param planned how many segments the rendition is cut into
 * @param done the indexes of the segments stored so far, each once
 * @param seconds the plan's segment length (the last one runs to the end)
 */
public record SegmentProgress(int planned, @Nullable List<Integer> done, @Nullable Double seconds) {

	/** A plan whose segment length is not said. */
	public SegmentProgress(int planned, @Nullable List<Integer> done) {
		this(planned, done, null);
	}

	/** Whether segment {@code index} is stored. */
	public boolean stored(int index) {
		return this.done != null && this.done.contains(index);
	}

	/**
	 * How long the rendition is at least, in seconds, when every segment is stored: all
	 * but the last are as long as the plan says.
	 */
	public double minimumSeconds() {
		return (this.seconds != null) ? (this.planned - 1) * this.seconds : 0;
	}

	/** How many segments are stored. */
	public int doneCount() {
		return (this.done != null) ? this.done.size() : 0;
	}

	/** Whether every segment is stored. */
	public boolean complete() {
		return this.planned > 0 && doneCount() >= this.planned;
	}

	/** The segments stored out of those planned, as a whole percentage (rounded down). */
	public int percent() {
		return (this.planned > 0) ? Math.min(100, doneCount() * 100 / this.planned) : 0;
	}

}
