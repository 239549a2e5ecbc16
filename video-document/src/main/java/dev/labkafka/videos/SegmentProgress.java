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
 */
public record SegmentProgress(int planned, @Nullable List<Integer> done) {

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
