package dev.labkafka.api.upload;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A body slower than its minimum rate: the read that finds it too slow still hands over
 * the bytes it brought, and the next read fails.
 */
class MinimumRateInputStreamTests {

	@Test
	void theBytesOfTheReadThatFindsTheBodyTooSlowAreKeptAndTheNextReadFails() throws Exception {
		// A client that brings 3 bytes in 2 ms, against at least 1 MB/s over each 1 ms.
		InputStream client = new FilterInputStream(new ByteArrayInputStream("abcdef".getBytes())) {
			@Override
			public int read(byte[] into, int offset, int length) throws IOException {
				LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
				return super.read(into, offset, Math.min(length, 3));
			}
		};
		MinimumRateInputStream body = new MinimumRateInputStream(client, 1024 * 1024, Duration.ofMillis(1));
		byte[] into = new byte[8];

		assertThat(body.read(into, 0, into.length)).isEqualTo(3);
		assertThat(new String(into, 0, 3)).isEqualTo("abc");
		assertThatExceptionOfType(UploadTooSlow.class).isThrownBy(() -> body.read(into, 3, 5));
		assertThatExceptionOfType(UploadTooSlow.class).isThrownBy(body::read);
	}

	@Test
	void aBodyFastEnoughIsReadToItsEnd() throws Exception {
		MinimumRateInputStream body = new MinimumRateInputStream(new ByteArrayInputStream(new byte[100_000]), 1,
				Duration.ofMillis(1));

		assertThat(body.readAllBytes()).hasSize(100_000);
	}

}
