package dev.labkafka.testsupport;

import dev.labkafka.processes.SyntheticVideos;

/**
 * Real video files for the tests.
 */
public final class SampleVideos {

	private SampleVideos() {
	}

	/** A real two-second H.264 MP4, 160x120 at 25 fps (see {@link SyntheticVideos}). */
	public static byte[] mp4() {
		return SyntheticVideos.sample();
	}

}
