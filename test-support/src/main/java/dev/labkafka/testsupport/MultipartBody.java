package dev.labkafka.testsupport;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A {@code multipart/form-data} body written byte for byte, as a client would send it:
 * the upload endpoint reads the raw body, so tests hand it exactly these bytes.
 */
public final class MultipartBody {

	/** The boundary between the parts. */
	public static final String BOUNDARY = "----test-boundary-7d2a";

	/** The request's {@code Content-Type}. */
	public static final String CONTENT_TYPE = "multipart/form-data; boundary=" + BOUNDARY;

	private final ByteArrayOutputStream body = new ByteArrayOutputStream();

	private MultipartBody() {
	}

	/** A body with no parts yet. */
	public static MultipartBody create() {
		return new MultipartBody();
	}

	/** A body with one {@code file} part. */
	public static byte[] file(String filename, byte[] content) {
		return create().part("file", filename, content).bytes();
	}

	/** Adds a file part. */
	public MultipartBody part(String name, String filename, byte[] content) {
		write(head(name, filename));
		this.body.writeBytes(content);
		write("\r\n");
		return this;
	}

	/** The part's delimiter and headers, up to where its content begins. */
	public static String head(String name, String filename) {
		return "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename
				+ "\"\r\nContent-Type: application/octet-stream\r\n\r\n";
	}

	/**
	 * The start of a raw {@code POST /v1/videos} with a multipart body of this length,
	 * for tests that send the body themselves, in pieces or not at all.
	 */
	public static byte[] requestHead(long contentLength) {
		return ("POST /v1/videos HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: " + CONTENT_TYPE
				+ "\r\nContent-Length: " + contentLength + "\r\n\r\n")
			.getBytes(StandardCharsets.ISO_8859_1);
	}

	/** The parts and the closing delimiter. */
	public byte[] bytes() {
		ByteArrayOutputStream all = new ByteArrayOutputStream();
		all.writeBytes(this.body.toByteArray());
		all.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
		return all.toByteArray();
	}

	private void write(String text) {
		this.body.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
	}

}
