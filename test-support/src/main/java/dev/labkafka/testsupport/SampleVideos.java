package dev.labkafka.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Real video files shipped with the tests.
 */
public final class SampleVideos {

	private SampleVideos() {
	}

	/**
	 * A real two-second H.264 MP4, 160x120 at 25 fps, made with
	 * {@code ffmpeg -f lavfi -i testsrc=duration=2:size=160x120:rate=25 -c:v libx264 -pix_fmt yuv420p -movflags +faststart}.
	 */
	public static byte[] mp4() {
		return read("sample.mp4");
	}

	private static byte[] read(String name) {
		try (InputStream in = SampleVideos.class.getResourceAsStream("/samples/" + name)) {
			if (in == null) {
				throw new IllegalStateException("Missing sample " + name);
			}
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
