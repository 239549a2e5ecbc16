package dev.labkafka.faults;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.labkafka.testsupport.MultipartBody;
import dev.labkafka.testsupport.SampleVideos;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upload sent over a raw connection in two halves, so that something can happen to the
 * API in between.
 */
final class SlowUpload implements AutoCloseable {

	private final Socket socket;

	private final byte[] body;

	/** Connects and sends the request's head and the first half of its body. */
	SlowUpload(int port) throws IOException {
		this.socket = new Socket("127.0.0.1", port);
		this.body = MultipartBody.file("slow.mp4", SampleVideos.mp4());
		this.socket.getOutputStream().write(MultipartBody.requestHead(this.body.length));
		this.socket.getOutputStream().write(this.body, 0, this.body.length / 2);
		this.socket.getOutputStream().flush();
	}

	/** Sends the rest, and returns the id the API answered with. */
	String finish() throws IOException {
		this.socket.getOutputStream().write(this.body, this.body.length / 2, this.body.length - this.body.length / 2);
		this.socket.getOutputStream().flush();
		String response = new String(this.socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(response).startsWith("HTTP/1.1 201");
		Matcher id = Pattern.compile("\"id\":\"(\\w{24})\"").matcher(response);
		assertThat(id.find()).as(response).isTrue();
		return id.group(1);
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
