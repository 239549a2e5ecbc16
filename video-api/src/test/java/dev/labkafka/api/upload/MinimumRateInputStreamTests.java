package dev.labkafka.api.upload;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A body slower than its minimum rate: the read that finds it too slow still hands over
 * the bytes it brought, and the next read fails, unless the body has ended.
 */
class MinimumRateInputStreamTests {

	/** At least 1 MB/s over each 1 ms, against a client that brings 3 bytes in 2 ms. */
	private static final long MIN_RATE = 1024 * 1024;

	private static final Duration WINDOW = Duration.ofMillis(1);

	@Test
	void theBytesOfTheReadThatFindsTheBodyTooSlowAreKeptAndTheNextReadFails() throws Exception {
		SlowClient client = new SlowClient("abcdef");
		MinimumRateInputStream body = new MinimumRateInputStream(client, MIN_RATE, WINDOW);
		byte[] into = new byte[8];

		assertThat(body.read(into, 0, into.length)).isEqualTo(3);
		assertThat(new String(into, 0, 3)).isEqualTo("abc");
		assertThatExceptionOfType(UploadTooSlow.class).isThrownBy(() -> body.read(into, 3, 5));
		assertThatExceptionOfType(UploadTooSlow.class).isThrownBy(body::read);
		// Nothing more was taken from the client: the rest is not read and lost.
		assertThat(client.available()).isEqualTo(3);
	}

	@Test
	void aRequestBodyWhoseSlowReadBroughtItsLastByteEndsInsteadOfFailing() throws Exception {
		SlowClient client = new SlowClient("abc");
		MinimumRateInputStream body = new MinimumRateInputStream(new RequestBody(client), MIN_RATE, WINDOW);
		byte[] into = new byte[8];

		assertThat(body.read(into, 0, into.length)).isEqualTo(3);
		assertThat(body.read(into, 3, 5)).isEqualTo(-1);
	}

	@Test
	void aBodyFastEnoughIsReadToItsEnd() throws Exception {
		MinimumRateInputStream body = new MinimumRateInputStream(new ByteArrayInputStream(new byte[100_000]), 1,
				WINDOW);

		assertThat(body.readAllBytes()).hasSize(100_000);
	}

	/** A client that brings at most 3 bytes per read, each after 2 ms. */
	private static final class SlowClient extends ByteArrayInputStream {

		SlowClient(String bytes) {
			super(bytes.getBytes());
		}

		@Override
		public synchronized int read(byte[] into, int offset, int length) {
			long until = System.nanoTime() + Duration.ofMillis(2).toNanos();
			while (System.nanoTime() < until) {
				Thread.onSpinWait();
			}
			return super.read(into, offset, Math.min(length, 3));
		}

	}

	/** The body of a request whose length is known, as the web server hands it over. */
	private static final class RequestBody extends ServletInputStream {

		private final InputStream bytes;

		RequestBody(InputStream bytes) {
			this.bytes = bytes;
		}

		@Override
		public int read() throws IOException {
			return this.bytes.read();
		}

		@Override
		public int read(byte[] into, int offset, int length) throws IOException {
			return this.bytes.read(into, offset, length);
		}

		@Override
		public boolean isFinished() {
			try {
				return this.bytes.available() == 0;
			}
			catch (IOException ex) {
				return false;
			}
		}

		@Override
		public boolean isReady() {
			return true;
		}

		@Override
		public void setReadListener(ReadListener listener) {
			throw new UnsupportedOperationException();
		}

	}

}
