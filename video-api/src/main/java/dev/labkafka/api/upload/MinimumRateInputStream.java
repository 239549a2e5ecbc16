package dev.labkafka.api.upload;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

import jakarta.servlet.ServletInputStream;
import org.jspecify.annotations.Nullable;

/**
 * An upload's body that must bring at least {@code minRate} bytes per second: over each
 * {@code window} of time spent waiting for its bytes, the bytes that came are counted,
 * and when they are fewer than the rate over that time, the next read fails with
 * {@link UploadTooSlow}: the read that found it hands over the bytes it brought, and when
 * they were the last of a request's body (whose length is known), the body just ends.
 * Only the time spent in its reads counts, so that a server that is slow to store what it
 * read (the database) does not cut its clients off.
 * <p>
 * A client that sends nothing at all is cut off by the connector's read timeout
 * ({@code server.tomcat.connection-timeout}) instead.
 */
final class MinimumRateInputStream extends FilterInputStream {

	private final long minRate;

	private final long window;

	/** Bytes that came, and nanoseconds spent waiting for them, in this window. */
	private long bytes;

	private long waited;

	/**
	 * The failure found by the last read, thrown by the next one: the bytes that read
	 * brought are the caller's, to keep.
	 */
	private @Nullable UploadTooSlow tooSlow;

	MinimumRateInputStream(InputStream in, long minRate, Duration window) {
		super(in);
		this.minRate = minRate;
		this.window = window.toNanos();
	}

	@Override
	public int read() throws IOException {
		if (tooSlowOrEnded()) {
			return -1;
		}
		long start = System.nanoTime();
		int read = super.read();
		counted((read == -1) ? -1 : 1, start);
		return read;
	}

	@Override
	public int read(byte[] into, int offset, int length) throws IOException {
		if (tooSlowOrEnded()) {
			return -1;
		}
		long start = System.nanoTime();
		int read = super.read(into, offset, length);
		counted(read, start);
		return read;
	}

	/**
	 * Throws the failure the last read found, unless that read brought the body's last
	 * byte (a request's body whose length is known): then it ended, slow or not.
	 */
	private boolean tooSlowOrEnded() throws UploadTooSlow {
		if (this.tooSlow == null) {
			return false;
		}
		if (this.in instanceof ServletInputStream body && body.isFinished()) {
			return true;
		}
		throw this.tooSlow;
	}

	private void counted(int read, long start) {
		if (read == -1) {
			return;
		}
		this.bytes += read;
		this.waited += System.nanoTime() - start;
		if (this.waited < this.window) {
			return;
		}
		Duration waited = Duration.ofNanos(this.waited);
		if (this.bytes * 1000 < this.minRate * waited.toMillis()) {
			this.tooSlow = new UploadTooSlow(this.bytes, waited, this.minRate);
			return;
		}
		this.bytes = 0;
		this.waited = 0;
	}

}
