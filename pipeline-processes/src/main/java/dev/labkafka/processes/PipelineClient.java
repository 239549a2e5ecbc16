package dev.labkafka.processes;

import java.io.ByteArrayInputStream;
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
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The pipeline's public HTTP API, as a client outside it uses it: the JDK's HTTP client,
 * nothing of the services' own code.
 */
public final class PipelineClient {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final String BOUNDARY = "----pipeline-client-boundary";

	private static final Pattern HEAP = Pattern.compile("^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*\\} (\\S+)$",
			Pattern.MULTILINE);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private final String base;

	public PipelineClient(String base) {
		this.base = base;
	}

	/** Uploads these bytes as a video; returns its id. */
	public String upload(String filename, byte[] content) {
		return upload(filename, () -> new ByteArrayInputStream(content), content.length);
	}

	/**
	 * Uploads a synthetic video of {@code size} bytes, made as it is sent (see
	 * {@link SyntheticVideos}); returns its id.
	 */
	public String upload(long size) {
		return upload("synthetic.mp4", () -> SyntheticVideos.mp4(size), size);
	}

	private String upload(String filename, Supplier<InputStream> content, long size) {
		byte[] head = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
				+ "\"\r\nContent-Type: video/mp4\r\n\r\n")
			.getBytes(StandardCharsets.ISO_8859_1);
		byte[] tail = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.ISO_8859_1);
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.base + "/v1/videos"))
			.header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
			.timeout(Duration.ofMinutes(30))
			.POST(HttpRequest.BodyPublishers
				.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> new SequenceInputStream(
						new SequenceInputStream(new ByteArrayInputStream(head), content.get()),
						new ByteArrayInputStream(tail))), head.length + size + tail.length))
			.build();
		HttpResponse<String> response = send(request);
		if (response.statusCode() != 201) {
			throw new IllegalStateException("Upload answered " + response.statusCode() + ": " + response.body());
		}
		return json.readTree(response.body()).get("id").asString();
	}

	/**
	 * Uploads a synthetic video of {@code size} bytes (see {@link SyntheticVideos}) as a
	 * tus client does: creates the upload, then appends its bytes in {@code PATCH} bodies
	 * of at most {@code patchSize} bytes; returns the video's id.
	 */
	public String tusUpload(long size, long patchSize) {
		HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(this.base + "/v1/uploads"))
			.header("Tus-Resumable", "1.0.0")
			.header("Upload-Length", String.valueOf(size))
			.header("Upload-Metadata",
					"filename " + java.util.Base64.getEncoder()
						.encodeToString("synthetic.mp4".getBytes(StandardCharsets.UTF_8)))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build());
		String location = created.headers().firstValue("Location").orElse(null);
		String id = created.headers().firstValue("Video-Id").orElse(null);
		if (created.statusCode() != 201 || location == null || id == null) {
			throw new IllegalStateException(
					"Creating a tus upload answered " + created.statusCode() + ": " + created.body());
		}
		URI upload = URI.create(this.base).resolve(location);
		try (InputStream content = SyntheticVideos.mp4(size)) {
			for (long offset = 0; offset < size;) {
				long length = Math.min(patchSize, size - offset);
				InputStream part = new BoundedStream(content, length);
				HttpResponse<String> appended = send(HttpRequest.newBuilder(upload)
					.header("Tus-Resumable", "1.0.0")
					.header("Upload-Offset", String.valueOf(offset))
					.header("Content-Type", "application/offset+octet-stream")
					.timeout(Duration.ofMinutes(30))
					.method("PATCH",
							HttpRequest.BodyPublishers
								.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> part), length))
					.build());
				if (appended.statusCode() != 204) {
					throw new IllegalStateException(
							"A tus PATCH at " + offset + " answered " + appended.statusCode() + ": " + appended.body());
				}
				offset += length;
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return id;
	}

	/** At most so many bytes of a stream that goes on past them, left open. */
	private static final class BoundedStream extends InputStream {

		private final InputStream in;

		private long left;

		BoundedStream(InputStream in, long length) {
			this.in = in;
			this.left = length;
		}

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			return (read(one, 0, 1) == -1) ? -1 : (one[0] & 0xff);
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			if (this.left == 0) {
				return -1;
			}
			int read = this.in.read(buffer, offset, (int) Math.min(length, this.left));
			if (read > 0) {
				this.left -= read;
			}
			return read;
		}

		@Override
		public void close() {
			// The stream goes on: the next PATCH reads it.
		}

	}

	/**
	 * Reads a video's stored bytes back whole through the API, discarding them; returns
	 * how many there were.
	 */
	public long download(String id) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.base + "/v1/videos/" + id + "/content"))
			.timeout(Duration.ofMinutes(30))
			.build();
		try {
			HttpResponse<InputStream> response = this.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
			try (InputStream body = response.body()) {
				if (response.statusCode() != 200) {
					throw new IllegalStateException("Download answered " + response.statusCode());
				}
				return body.transferTo(java.io.OutputStream.nullOutputStream());
			}
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Deletes a video and its bytes. */
	public void delete(String id) {
		HttpResponse<String> response = send(
				HttpRequest.newBuilder(URI.create(this.base + "/v1/videos/" + id)).DELETE().build());
		if (response.statusCode() != 200) {
			throw new IllegalStateException("Delete answered " + response.statusCode() + ": " + response.body());
		}
	}

	/** The status of the newest {@code count} videos, by id. */
	public Map<String, String> statuses(int count) {
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

	/**
	 * The video as {@code GET /v1/videos/{id}} shows it, or null while the API cannot.
	 */
	public @Nullable JsonNode video(String id) {
		try {
			HttpResponse<String> response = this.http
				.send(HttpRequest.newBuilder(URI.create(this.base + "/v1/videos/" + id))
					.timeout(Duration.ofSeconds(10))
					.build(), HttpResponse.BodyHandlers.ofString());
			return (response.statusCode() == 200) ? json.readTree(response.body()) : null;
		}
		catch (IOException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	/** The video's status, or null while the API cannot say. */
	public @Nullable String status(String id) {
		JsonNode video = video(id);
		return (video != null) ? video.get("status").asString() : null;
	}

	/** The heap the API uses now, from its Prometheus endpoint. */
	public long heapUsed() {
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

}
