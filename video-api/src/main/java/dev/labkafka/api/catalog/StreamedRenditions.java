package dev.labkafka.api.catalog;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

import dev.labkafka.videos.Rendition;
import dev.labkafka.videos.Video;

/**
 * A video's HLS levels: its renditions that have a file of their own with a media
 * playlist ({@link Rendition#isStreamed()}) and whose variant is recorded as done, the
 * lowest bit rate first. A rendition that only points at a smaller one's file (a scale
 * taller than the original) is never a level; a video the mock transcoder made has none.
 */
public final class StreamedRenditions {

	private StreamedRenditions() {
	}

	/** The levels of {@code video}, by ascending peak bit rate, then height. */
	public static List<Level> of(Video video) {
		Map<String, Rendition> renditions = (video.renditions() != null) ? video.renditions() : Map.of();
		Map<String, String> done = video.doneVariants();
		return renditions.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().isStreamed() && done.containsKey(entry.getKey()))
			.flatMap((entry) -> scale(entry.getKey()).map((scale) -> new Level(scale, entry.getValue())).stream())
			.sorted(Comparator.comparingLong(Level::bandwidth).thenComparingInt(Level::scale))
			.toList();
	}

	/** Whether {@code video} has at least one level: then it has a master playlist. */
	public static boolean any(Video video) {
		return !of(video).isEmpty();
	}

	private static java.util.Optional<Integer> scale(String key) {
		try {
			return java.util.Optional.of(Integer.parseInt(key));
		}
		catch (NumberFormatException ex) {
			return java.util.Optional.empty();
		}
	}

	/**
	 * One HLS level: a scale and what its rendition is.
	 *
	 * @param scale the rendition's scale (its nominal height), which names its playlist
	 * @param rendition the rendition as the worker recorded it
	 */
	public record Level(int scale, Rendition rendition) {

		/** Its peak bit rate (bits/s). */
		public long bandwidth() {
			Long bandwidth = this.rendition.bandwidth();
			return (bandwidth != null) ? bandwidth : 0;
		}

	}

}
