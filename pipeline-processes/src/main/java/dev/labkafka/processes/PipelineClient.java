package dev.labkafka.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The pipeline's public HTTP API, as the benchmark drives it.
 */
final class Client {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final String BOUNDARY = "----benchmark-boundary";

	private static final Pattern HEAP = Pattern.compile("^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*\\} (\\S+)$",
			Pattern.MULTILINE);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private final String base;

	Client(String base) {
		this.base = base;
	}

	/** Uploads a video of {@code size} bytes, generated as it is sent; returns its id. */
	String upload(long size) {
		byte[] head = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bench.mp4\"\r\n"
				+ "Content-Type: video/mp4\r\n\r\n")
			.getBytes(StandardCharsets.ISO_8859_1);
		byte[] tail = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.ISO_8859_1);
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.base + "/v1/videos"))
			.header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
			.timeout(Duration.ofMinutes(30))
			.POST(HttpRequest.BodyPublishers
				.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> new SequenceInputStream(
						new SequenceInputStream(new java.io.ByteArrayInputStream(head), Videos.mp4(size)),
						new java.io.ByteArrayInputStream(tail))), head.length + size + tail.length))
			.build();
		HttpResponse<String> response = send(request);
		if (response.statusCode() != 201) {
			throw new IllegalStateException("Upload answered " + response.statusCode() + ": " + response.body());
		}
		return json.readTree(response.body()).get("id").asString();
	}

	/** Deletes a video and its bytes. */
	void delete(String id) {
		HttpResponse<String> response = send(
				HttpRequest.newBuilder(URI.create(this.base + "/v1/videos/" + id)).DELETE().build());
		if (response.statusCode() != 200) {
			throw new IllegalStateException("Delete answered " + response.statusCode() + ": " + response.body());
		}
	}

	/** The status of the newest {@code count} videos, by id. */
	Map<String, String> statuses(int count) {
		Map<String, String> statuses = new HashMap<>();
		for (int skip = 0; skip < count; skip += 100) {
			HttpResponse<String> response = send(HttpRequest
				.newBuilder(URI.create(this.base + "/v1/videos?limit=" + Math.min(100, count - skip) + "&skip=" + skip))
				.build());
			for (JsonNode video : json.readTree(response.body()).get("videos")) {
				statuses.put(video.get("id").asString(), video.get("status").asString());
			}
		}
		return statuses;
	}

	String status(String id) {
		return json.readTree(send(HttpRequest.newBuilder(URI.create(this.base + "/v1/videos/" + id)).build()).body())
			.get("status")
			.asString();
	}

	/** The heap the API uses now, from its Prometheus endpoint. */
	long heapUsed() {
		String metrics = send(HttpRequest.newBuilder(URI.create(this.base + "/actuator/prometheus")).build()).body();
		Matcher matcher = HEAP.matcher(metrics);
		long used = 0;
		while (matcher.find()) {
			used += (long) Double.parseDouble(matcher.group(1));
		}
		return used;
	}

	private HttpResponse<String> send(HttpRequest request) {
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Synthetic videos: an MP4 header the API recognises, then padding. */
	static final class Videos {

		/** {@code ftyp} box of an ISO base media (MP4) file. */
		private static final byte[] FTYP = { 0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0, 'i',
				's', 'o', 'm', 'm', 'p', '4', '1' };

		private Videos() {
		}

		/**
		 * A stream of {@code size} bytes that starts like an MP4 file, made as it is
		 * read.
		 */
		static InputStream mp4(long size) {
			return new InputStream() {

				private long position;

				@Override
				public int read() {
					if (this.position >= size) {
						return -1;
					}
					int value = (this.position < FTYP.length) ? FTYP[(int) this.position]
							: (int) (this.position & 0x7F);
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

}
