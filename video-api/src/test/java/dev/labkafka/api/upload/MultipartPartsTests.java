package dev.labkafka.api.upload;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.apache.commons.fileupload2.core.FileUploadException;
import org.apache.commons.fileupload2.core.FileUploadSizeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * The multipart framing: every part's headers and exact bytes, however the body arrives
 * and whatever near-delimiters its content holds.
 */
class MultipartPartsTests {

	private static final String BOUNDARY = "----bench-boundary-7MA4YWxkTrZu0gW";

	@ParameterizedTest(name = "reads of at most {0} bytes")
	@ValueSource(ints = { 1, 3, 61, 4096, 1 << 20 })
	void readsEveryPartsBytesExactlyHoweverTheBodyArrives(int readSize) throws IOException {
		Random random = new Random(readSize);
		List<byte[]> contents = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			contents.add(nearDelimiters(random, 300_000 + random.nextInt(1000)));
		}
		contents.add(new byte[0]);
		byte[] body = body("preamble\r\n", contents, "\r\nepilogue");

		List<byte[]> read = readAll(new MultipartParts(trickle(body, readSize, random), BOUNDARY.getBytes(),
				Long.MAX_VALUE, Long.MAX_VALUE, 8192, StandardCharsets.UTF_8));

		assertThat(read).hasSameSizeAs(contents);
		for (int i = 0; i < contents.size(); i++) {
			assertThat(read.get(i)).as("part %d", i).isEqualTo(contents.get(i));
		}
	}

	@Test
	void givesEachPartsHeaderBlock() throws IOException {
		byte[] body = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a é.mp4\"\r\n"
				+ "Content-Type: video/mp4\r\n\r\nxyz\r\n--" + BOUNDARY + "--\r\n")
			.getBytes(StandardCharsets.UTF_8);
		MultipartParts parts = parts(body);

		assertThat(parts.nextHeaders()).isEqualTo(
				"Content-Disposition: form-data; name=\"file\"; filename=\"a é.mp4\"\r\nContent-Type: video/mp4\r\n\r\n");
		assertThat(parts.content().readAllBytes()).isEqualTo("xyz".getBytes());
		assertThat(parts.nextHeaders()).isNull();
	}

	@Test
	void readsTheBodyToItsEndAfterTheCloseDelimiterEvenWhenItsLineBreakComesApart() throws IOException {
		byte[] head = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nxyz\r\n--" + BOUNDARY
				+ "--")
			.getBytes(StandardCharsets.UTF_8);
		SequenceInputStream body = new SequenceInputStream(new ByteArrayInputStream(head),
				new ByteArrayInputStream("\r\n".getBytes(StandardCharsets.UTF_8)));
		MultipartParts parts = new MultipartParts(body, BOUNDARY.getBytes(), Long.MAX_VALUE, Long.MAX_VALUE, 8192,
				StandardCharsets.UTF_8);

		assertThat(parts.nextHeaders()).isNotNull();
		assertThat(parts.content().readAllBytes()).isEqualTo("xyz".getBytes());
		assertThat(parts.nextHeaders()).isNull();
		assertThat(body.read()).as("the body read to its end").isEqualTo(-1);
	}

	@Test
	void aBodyThatFailsAfterTheCloseDelimiterFails() throws IOException {
		byte[] head = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nxyz\r\n--" + BOUNDARY
				+ "--")
			.getBytes(StandardCharsets.UTF_8);
		InputStream failing = new InputStream() {

			@Override
			public int read() throws IOException {
				throw new IOException("the body ended before its declared length");
			}

		};
		MultipartParts parts = new MultipartParts(new SequenceInputStream(new ByteArrayInputStream(head), failing),
				BOUNDARY.getBytes(), Long.MAX_VALUE, Long.MAX_VALUE, 8192, StandardCharsets.UTF_8);

		assertThatIOException().isThrownBy(() -> {
			parts.nextHeaders();
			parts.content().readAllBytes();
			parts.nextHeaders();
		}).withMessageContaining("declared length");
	}

	@Test
	void findsNoPartInABodyWithoutItsDelimiter() throws IOException {
		assertThat(parts("garbage without any boundary".getBytes()).nextHeaders()).isNull();
		assertThat(parts(new byte[0]).nextHeaders()).isNull();
	}

	@Test
	void refusesABodyThatEndsInAPart() throws IOException {
		byte[] body = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nsome bytes\r\n--"
				+ BOUNDARY.substring(0, 10))
			.getBytes();
		MultipartParts parts = parts(body);
		parts.nextHeaders();
		InputStream content = parts.content();

		assertThatExceptionOfType(EOFException.class).isThrownBy(content::readAllBytes);
	}

	@Test
	void refusesBytesOtherThanALineBreakOrTheCloseAfterADelimiter() throws IOException {
		byte[] body = ("--" + BOUNDARY + "xx\r\n\r\nbytes\r\n--" + BOUNDARY + "--").getBytes();

		assertThatExceptionOfType(FileUploadException.class).isThrownBy(() -> parts(body).nextHeaders());
	}

	@Test
	void refusesHeadersOverTheirLimit() {
		byte[] body = ("--" + BOUNDARY + "\r\nX-Long: " + "x".repeat(9000) + "\r\n\r\nbytes\r\n--" + BOUNDARY + "--")
			.getBytes();

		assertThatExceptionOfType(FileUploadException.class).isThrownBy(() -> parts(body).nextHeaders())
			.withMessageContaining("headers");
	}

	@Test
	void refusesHeadersLongerThanItsBufferWhateverTheLimit() {
		byte[] body = ("--" + BOUNDARY + "\r\nX-Long: " + "x".repeat(70_000) + "\r\n\r\nbytes\r\n--" + BOUNDARY + "--")
			.getBytes();

		assertThatExceptionOfType(FileUploadException.class)
			.isThrownBy(() -> new MultipartParts(new ByteArrayInputStream(body), BOUNDARY.getBytes(), Long.MAX_VALUE,
					Long.MAX_VALUE, 128 * 1024, StandardCharsets.UTF_8)
				.nextHeaders())
			.withMessageContaining("headers");
	}

	@Test
	void refusesAPartOverItsLimitAndABodyOverItsLimit() throws IOException {
		byte[] body = body("", List.of(new byte[5000]), "");
		MultipartParts parts = new MultipartParts(new ByteArrayInputStream(body), BOUNDARY.getBytes(), 1 << 20, 4999,
				8192, StandardCharsets.UTF_8);
		parts.nextHeaders();
		InputStream content = parts.content();
		assertThatExceptionOfType(FileUploadSizeException.class).isThrownBy(content::readAllBytes)
			.satisfies((ex) -> assertThat(ex.getPermitted()).isEqualTo(4999));

		MultipartParts small = new MultipartParts(new ByteArrayInputStream(body), BOUNDARY.getBytes(), 1000,
				Long.MAX_VALUE, 8192, StandardCharsets.UTF_8);
		assertThatExceptionOfType(FileUploadSizeException.class).isThrownBy(() -> {
			small.nextHeaders();
			small.content().readAllBytes();
		}).satisfies((ex) -> assertThat(ex.getPermitted()).isEqualTo(1000));
	}

	private static MultipartParts parts(byte[] body) throws FileUploadException {
		return new MultipartParts(new ByteArrayInputStream(body), BOUNDARY.getBytes(), Long.MAX_VALUE, Long.MAX_VALUE,
				8192, StandardCharsets.UTF_8);
	}

	private static List<byte[]> readAll(MultipartParts parts) throws IOException {
		List<byte[]> read = new ArrayList<>();
		int n = 0;
		String headers;
		while ((headers = parts.nextHeaders()) != null) {
			assertThat(headers).isEqualTo("Content-Disposition: form-data; name=\"part" + n++ + "\"\r\n\r\n");
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			parts.content().transferTo(out);
			read.add(out.toByteArray());
		}
		return read;
	}

	private static byte[] body(String preamble, List<byte[]> contents, String epilogue) {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.writeBytes(preamble.getBytes());
		for (int i = 0; i < contents.size(); i++) {
			body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"part" + i + "\"\r\n\r\n")
				.getBytes());
			body.writeBytes(contents.get(i));
			body.writeBytes("\r\n".getBytes());
		}
		body.writeBytes(("--" + BOUNDARY + "--" + epilogue).getBytes());
		return body.toByteArray();
	}

	/**
	 * Random bytes strewn with beginnings of the delimiter (cut at every length) and the
	 * boundary without its line break: what a search that skips too far would take as the
	 * end, or miss the end after.
	 */
	private static byte[] nearDelimiters(Random random, int size) {
		byte[] delimiter = ("\r\n--" + BOUNDARY).getBytes();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		while (out.size() < size) {
			int kind = random.nextInt(4);
			if (kind == 0) {
				out.write(delimiter, 0, 1 + random.nextInt(delimiter.length - 1));
				// Not the delimiter's next byte, whatever comes after.
				out.write(0);
			}
			else if (kind == 1) {
				out.writeBytes(("x--" + BOUNDARY).getBytes());
			}
			else {
				byte[] noise = new byte[random.nextInt(200)];
				random.nextBytes(noise);
				out.writeBytes(noise);
			}
		}
		return out.toByteArray();
	}

	/** The body in reads of 1 to {@code most} bytes. */
	private static InputStream trickle(byte[] body, int most, Random random) {
		return new ByteArrayInputStream(body) {

			@Override
			public synchronized int read(byte[] buffer, int offset, int length) {
				return super.read(buffer, offset, Math.min(length, 1 + random.nextInt(most)));
			}

		};
	}

}
