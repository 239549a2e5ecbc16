package dev.labkafka.processes;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Videos for tests and load: a real two-second H.264 MP4 (160x120 at 25 fps, made with
 * {@code ffmpeg -f lavfi -i testsrc=duration=2:size=160x120:rate=25 -c:v libx264 -pix_fmt yuv420p -movflags +faststart}),
 * and the same video made as large as wanted with a {@code free} box after it: MP4's
 * padding, which every reader skips, so that ffprobe reads even a gigabyte of it as the
 * two-second video it is.
 */
public final class SyntheticVideos {

	/** Box header: 32-bit size, type, then a 64-bit size when the first says 1. */
	private static final int LARGE_HEADER = 16;

	private static final byte[] SAMPLE = read("sample.mp4");

	private SyntheticVideos() {
	}

	/** The two-second sample, as it is. */
	public static byte[] sample() {
		return SAMPLE.clone();
	}

	/**
	 * A stream of exactly {@code size} bytes: the sample, then padding.
	 * @throws IllegalArgumentException when {@code size} is smaller than the sample and a
	 * box header
	 */
	public static InputStream mp4(long size) {
		long padding = size - SAMPLE.length;
		if (padding < LARGE_HEADER) {
			throw new IllegalArgumentException(
					"A synthetic video has at least " + (SAMPLE.length + LARGE_HEADER) + " bytes, not " + size);
		}
		ByteBuffer header = ByteBuffer.allocate(LARGE_HEADER)
			.putInt(1)
			.put(new byte[] { 'f', 'r', 'e', 'e' })
			.putLong(padding);
		InputStream start = new SequenceInputStream(new ByteArrayInputStream(SAMPLE),
				new ByteArrayInputStream(header.array()));
		return new SequenceInputStream(start, zeros(padding - LARGE_HEADER));
	}

	private static InputStream zeros(long size) {
		return new InputStream() {

			private long left = size;

			@Override
			public int read() {
				if (this.left <= 0) {
					return -1;
				}
				this.left--;
				return 0;
			}

			@Override
			public int read(byte[] buffer, int offset, int length) {
				if (this.left <= 0) {
					return -1;
				}
				int count = (int) Math.min(length, this.left);
				Arrays.fill(buffer, offset, offset + count, (byte) 0);
				this.left -= count;
				return count;
			}

		};
	}

	private static byte[] read(String name) {
		try (InputStream in = SyntheticVideos.class.getResourceAsStream("/samples/" + name)) {
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
