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
 * make a single segment, is kept whole; so is one whose frames do not come at a steady
 * rate (the concat demuxer places each segment after the last frame of the one before,
 * one frame interval on, which is exact only at a steady rate).
 * <p>
 * A segment job seeks to the keyframe before its segment, which is exact where the
 * container has an index of its keyframes (MP4, QuickTime, Matroska, WebM). In any other
 * (MPEG-TS, FLV, AVI, for instance) a seek lands only near the time asked, after it as
 * often as before; a job there would have to decode from the start, and the video's jobs
 * together would read and decode it about count / 2 times over. Such a video is kept
 * whole: one job per rendition, as before segments.
 *
 * @param enabled whether long videos are cut at all
 * @param threshold the length above which a video is cut, in seconds
 * @param length each segment's length, in seconds
 */
public record SegmentPlan(boolean enabled, double threshold, double length) {

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
		int count = (original.steadyFrameRate() && original.indexed()) ? count(original.duration()) : 0;
		List<Part> parts = new ArrayList<>();
		IntStream.range(0, count)
			.forEach((index) -> parts.add(new Part(index, count, this.length, height, original.videoStart(), 0)));
		return List.copyOf(parts);
	}

}
