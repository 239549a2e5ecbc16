package dev.labkafka.processes;

import java.io.InputStream;

/**
 * Videos of any size for load: an MP4 header the API recognises, then padding, made as
 * they are read.
 */
public final class SyntheticVideos {

	/** {@code ftyp} box of an ISO base media (MP4) file. */
	private static final byte[] FTYP = { 0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0, 'i', 's',
			'o', 'm', 'm', 'p', '4', '1' };

	private SyntheticVideos() {
	}

	/** A stream of {@code size} bytes that starts like an MP4 file. */
	public static InputStream mp4(long size) {
		return new InputStream() {

			private long position;

			@Override
			public int read() {
				if (this.position >= size) {
					return -1;
				}
				int value = (this.position < FTYP.length) ? FTYP[(int) this.position] : (int) (this.position & 0x7F);
				this.position++;
				return value;
			}

			@Override
			public int read(byte[] buffer, int offset, int length) {
				if (this.position >= size) {
					return -1;
				}
				int count = (int) Math.min(length, size - this.position);
				for (int i = 0; i < count; i++) {
					buffer[offset + i] = (byte) read();
				}
				return count;
			}

		};
	}

}
