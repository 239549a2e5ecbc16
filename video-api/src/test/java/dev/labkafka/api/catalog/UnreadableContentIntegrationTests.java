package dev.labkafka.api.catalog;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import com.mongodb.client.gridfs.GridFSBuckets;
import com.mongodb.client.gridfs.model.GridFSUploadOptions;
import dev.labkafka.api.ApiIntegrationTests;
import org.bson.BsonObjectId;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stored bytes that cannot be read whole (a chunk is missing: a damaged file) and ranges
 * no file can have: never an unexplained 500. Before the answer begins the client gets
 * the problem; once it has begun, the connection is closed, so that the client sees a
 * body shorter than its {@code Content-Length} rather than a whole one, and the failure
 * is logged once, on one line.
 */
@ExtendWith(OutputCaptureExtension.class)
class UnreadableContentIntegrationTests extends ApiIntegrationTests {

	/** Chunks of 64 KiB: the file below has 32 of them. */
	static final int CHUNK = 64 * 1024;

	static final int SIZE = 32 * CHUNK;

	@Test
	void answersAProblemWhenTheFirstBytesAreMissing(CapturedOutput output) {
		String id = storedWithout(0);

		for (String range : new String[] { null, "bytes=0-99", "bytes=10-20, 30-40" }) {
			ResponseEntity<String> answer = get(id, range);
			assertThat(answer.getStatusCode()).as(range).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
			assertThat(answer.getHeaders().getContentType()).as(range).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
			assertThat(json.readTree(answer.getBody()).get("title").asString()).isEqualTo("Stored file damaged");
			assertThat(answer.getHeaders().getFirst(HttpHeaders.CONTENT_RANGE)).as(range).isNull();
			assertThat(answer.getHeaders().getCacheControl()).as(range).isNull();
			assertThat(answer.getHeaders().getAccessControlAllowOrigin()).as("a player elsewhere reads it")
				.isEqualTo("*");
		}
		assertThat(output.getOut()).contains("The original of video " + id)
			.doesNotContain("Unexpected error")
			.doesNotContain("\tat ");
	}

	@Test
	void closesTheConnectionWhenBytesGoMissingOnceTheAnswerHasBegun(CapturedOutput output) throws IOException {
		String id = storedWithout(20);

		try (Socket socket = new Socket("localhost", this.port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(("GET /v1/videos/" + id + "/content HTTP/1.1\r\nHost: localhost\r\n\r\n")
				.getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			byte[] answer = socket.getInputStream().readAllBytes();
			String text = new String(answer, StandardCharsets.ISO_8859_1);
			int body = text.indexOf("\r\n\r\n") + 4;

			assertThat(text).startsWith("HTTP/1.1 200").contains("Content-Length: " + SIZE);
			assertThat(answer.length - body).as("the body is cut short, and the connection closed")
				.isGreaterThan(0)
				.isLessThanOrEqualTo(20 * CHUNK);
		}
		assertThat(output.getOut().lines().filter((line) -> line.contains("The original of video " + id)))
			.singleElement()
			.asString()
			.contains("after its answer began");
		assertThat(output.getOut()).doesNotContain("\tat ").doesNotContain("already committed");
	}

	@Test
	void refusesRangesNoFileHasWith416() {
		String id = storedWithout(-1);
		for (String range : new String[] { "bytes=99999999999999999999-", "bytes=-99999999999999999999",
				"bytes=" + SIZE + "-", "bytes=5-1", "bytes=" + "0-1,".repeat(150) + "2-3" }) {
			ResponseEntity<String> answer = this.http.get()
				.uri("/v1/videos/{id}/content", id)
				.header(HttpHeaders.RANGE, range)
				.retrieve()
				.toEntity(String.class);
			assertThat(answer.getStatusCode()).as(range).isEqualTo(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE);
			assertThat(answer.getHeaders().getContentType()).as(range).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		}
		ResponseEntity<byte[]> huge = this.http.get()
			.uri("/v1/videos/{id}/content", id)
			.header(HttpHeaders.RANGE, "bytes=" + (SIZE - 10) + "-999999999999999")
			.retrieve()
			.toEntity(byte[].class);
		assertThat(huge.getStatusCode()).as("a range past the end is cut at the end")
			.isEqualTo(HttpStatus.PARTIAL_CONTENT);
		assertThat(huge.getBody()).hasSize(10);
	}

	/** A video whose bytes are stored without chunk {@code missing} (none for -1). */
	private String storedWithout(int missing) {
		String id = this.videos.insertUploaded();
		byte[] bytes = new byte[SIZE];
		new Random(missing).nextBytes(bytes);
		GridFSBuckets.create(database())
			.uploadFromStream(new BsonObjectId(new ObjectId(id)), "clip.mp4", new ByteArrayInputStream(bytes),
					new GridFSUploadOptions().chunkSizeBytes(CHUNK));
		database().getCollection("fs.chunks")
			.deleteOne(new Document("files_id", new ObjectId(id)).append("n", missing));
		return id;
	}

	private ResponseEntity<String> get(String id, String range) {
		var request = this.http.get()
			.uri("/v1/videos/{id}/content", id)
			.header(HttpHeaders.ORIGIN, "https://elsewhere");
		if (range != null) {
			request.header(HttpHeaders.RANGE, range);
		}
		return request.retrieve().toEntity(String.class);
	}

}
