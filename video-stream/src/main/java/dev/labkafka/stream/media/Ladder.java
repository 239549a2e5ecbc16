package dev.labkafka.stream.media;

import java.util.Map;

/**
 * The bit rate each rendition scale is capped at: the ladder's figures, in one place.
 * They come from Apple's "HLS Authoring Specification for Apple Devices", requirement
 * 1.18's table of recommended variants ("Video average bit rate", 16:9, H.264): 640x360
 * 365 kb/s, 1280x720 4500 kb/s and 1920x1080 7800 kb/s (the higher of its two rows for
 * 720 and 1080: the ladder has one rung per height). The table has no 480-line row; 480
 * takes 1500 kb/s, the bit rate per pixel of the rows around it (768x432 at 1100 kb/s,
 * 960x540 at 2000 kb/s) interpolated for 854x480's pixels (1477) and rounded.
 * <p>
 * An encode aims at a quality (CRF) and the figure is its cap ({@code -maxrate}) over a
 * buffer of twice that ({@code -bufsize}), so no two-second segment goes far above twice
 * the figure: the specification's rule that a VOD stream's peak be at most 200% of its
 * average. See docs/media.md.
 */
public final class Ladder {

	private static final Map<Integer, Integer> CAPS = Map.of(360, 365, 480, 1500, 720, 4500, 1080, 7800);

	private Ladder() {
	}

	/**
	 * The cap, in kbit/s, of a rendition {@code height} pixels high: its scale's figure,
	 * or for a height between scales (an original lower than a scale) the figure of the
	 * lowest scale at least that high.
	 */
	public static int capKbps(int height) {
		return CAPS.keySet()
			.stream()
			.sorted()
			.filter((scale) -> scale >= height)
			.findFirst()
			.map(CAPS::get)
			.orElse(CAPS.get(1080));
	}

	/** How many seconds apart the keyframes, and the HLS segments, are. */
	public static final int SEGMENT_SECONDS = 2;

}
