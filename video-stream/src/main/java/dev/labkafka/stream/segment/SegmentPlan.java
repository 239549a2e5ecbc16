package dev.labkafka.stream.segment;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import dev.labkafka.messages.VideoMessage.Part;
import dev.labkafka.stream.StreamSettings;
import dev.labkafka.stream.media.MediaInfo;

/**
 * Where a long video is cut: every {@code length} seconds from its picture's first frame,
 * the same times for every rendition, so that each cut falls on a keyframe of the
 * renditions' two-second grid. A rest shorter than half a segment joins the last segment
 * instead of making a short one of its own; the last segment runs to the end of the
 * video, whatever its stated length. A video not longer than the threshold, or that would
 * make a single segment, is kept whole.
 *
 * @param enabled whether long videos are cut at all
 * @param threshold the length above which a video is cut, in seconds
 * @param length each segment's length, in seconds
 */
public record SegmentPlan(boolean enabled, double threshold, double length) {

	/**
	 * How far before a segment's start its job seeks an original whose container has no
	 * index of its keyframes, where a seek lands only near the time asked: the decoder
	 * needs a keyframe at or before the first frame kept.
	 */
	static final double UNINDEXED_SEEK_MARGIN = 3;

	static SegmentPlan of(StreamSettings.Segments settings) {
		return new SegmentPlan(settings.enabled(), settings.threshold().toMillis() / 1000.0,
				settings.length().toMillis() / 1000.0);
	}

	/**
	 * How many segments a video {@code duration} seconds long is cut into; 0 for none.
	 */
	public int count(double duration) {
		if (!this.enabled || duration <= this.threshold || !Double.isFinite(duration)) {
			return 0;
		}
		int whole = (int) Math.floor(duration / this.length);
		double rest = duration - whole * this.length;
		int count = (rest >= this.length / 2) ? whole + 1 : whole;
		return (count >= 2) ? count : 0;
	}

	/** The segments of a rendition {@code height} pixels high of {@code original}. */
	List<Part> parts(MediaInfo original, int height) {
		int count = count(original.duration());
		double margin = original.indexed() ? 0 : UNINDEXED_SEEK_MARGIN;
		List<Part> parts = new ArrayList<>();
		IntStream.range(0, count)
			.forEach((index) -> parts.add(new Part(index, count, this.length, height, original.videoStart(), margin)));
		return List.copyOf(parts);
	}

}
