package dev.labkafka.api.upload;

import dev.labkafka.api.ApiIntegrationTests;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.labkafka.testsupport.MultipartBody;
import dev.labkafka.testsupport.SampleVideos;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Hostile and broken requests over real HTTP: each gets a clear 4xx problem, never a 5xx
 * or a stack trace, and leaves nothing stored.
 */
class HostileInputTests extends ApiIntegrationTests {

	final HttpClient client = HttpClient.newHttpClient();

	long[] storedBefore;

	@BeforeEach
	void countWhatIsStored() {
		this.storedBefore = storedCounts();
	}

	static Stream<Arguments> hostileRequests() {
		byte[] video = SampleVideos.mp4();
		String unknown = new ObjectId().toHexString();
		return Stream.of(
				arguments("an upload without a file part", 400,
						multipart(MultipartBody.create().part("video", "a.mp4", video).bytes())),
				arguments("an empty file", 400, multipart(MultipartBody.file("a.mp4", new byte[0]))),
				arguments("a file that is not a video", 415,
						multipart(MultipartBody.file("clip.mp4", "MZ\u0090 an executable".getBytes()))),
				arguments("two files in one upload", 400, multipart(
						MultipartBody.create().part("file", "a.mp4", video).part("file", "b.mp4", video).bytes())),
				arguments("a file over the upload limit", 413,
						multipart(MultipartBody.file("big.mp4", Arrays.copyOf(video, MAX_FILE_SIZE + 200_000)))),
				arguments("more parts than an upload takes", 400,
						multipart(manyParts(MultipartUpload.MAX_PARTS + 1, video))),
				arguments("more parts than an upload takes, after the file", 400,
						multipart(filePartFirst(MultipartUpload.MAX_PARTS + 1, video))),
				arguments("a part's headers over their limit", 400,
						multipart(MultipartBody.file("x".repeat(9000) + ".mp4", video))),
				arguments("a JSON body instead of multipart", 415,
						request("POST", "/v1/videos", "application/json", "{\"file\":\"x\"}".getBytes())),
				arguments("a multipart body that does not match its boundary", 400,
						request("POST", "/v1/videos", MultipartBody.CONTENT_TYPE,
								"garbage without any boundary".getBytes())),
				arguments("a multipart type without a boundary", 400,
						request("POST", "/v1/videos", "multipart/form-data", "--x\r\n\r\n--x--".getBytes())),
				arguments("an id that is not an ObjectId", 400, request("GET", "/v1/videos/not-an-id", null, null)),
				arguments("a very long id", 400, request("GET", "/v1/videos/" + "a".repeat(2000), null, null)),
				arguments("an unknown video", 404, request("GET", "/v1/videos/" + unknown, null, null)),
				arguments("deleting an unknown video", 404, request("DELETE", "/v1/videos/" + unknown, null, null)),
				arguments("retrying an unknown video", 404,
						request("POST", "/v1/videos/" + unknown + "/retry", null, null)),
				arguments("a limit that is not a number", 400, request("GET", "/v1/videos?limit=ten", null, null)),
				arguments("a limit of zero", 400, request("GET", "/v1/videos?limit=0", null, null)),
				arguments("a limit over the maximum", 400, request("GET", "/v1/videos?limit=101", null, null)),
				arguments("a limit that overflows", 400,
						request("GET", "/v1/videos?limit=99999999999999999999", null, null)),
				arguments("a negative skip", 400, request("GET", "/v1/videos?skip=-1", null, null)),
				arguments("a wrong method on the collection", 405, request("PUT", "/v1/videos", null, null)),
				arguments("a wrong method on a video", 405, request("PATCH", "/v1/videos/" + unknown, null, null)),
				arguments("an unknown path", 404, request("GET", "/v2/etc/passwd", null, null)), arguments(
						"a path that climbs out of its folder", 400, request("GET", "/v2/../etc/passwd", null, null)));
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@MethodSource("hostileRequests")
	void answersAClearProblemAndStoresNothing(String what, int status, HttpRequest.Builder request) throws Exception {
		HttpResponse<String> response = this.client.send(request.uri(uri(request)).build(), BodyHandlers.ofString());

		assertProblem(response, status);
		assertNothingStored();
	}

	@Test
	void answersAClearProblemForAMalformedRange() throws Exception {
		String id = idOf(upload("clip.mp4", SampleVideos.mp4()));
		for (String range : List.of("bytes=abc", "bytes=999999999-", "bytes=5-2", "lines=0-10")) {
			HttpResponse<String> response = this.client
				.send(HttpRequest.newBuilder(URI.create(base() + "/v1/videos/" + id + "/content"))
					.header("Range", range)
					.build(), BodyHandlers.ofString());
			assertProblem(response, 416);
			assertThat(response.headers().firstValue("Content-Range")).as(range)
				.hasValue("bytes */" + SampleVideos.mp4().length);
		}
	}

	@Test
	void keepsOnlyASafeVersionOfAHostileFileName() throws Exception {
		String hostile = "../../etc/passwd\t\u0001\u007f" + "x".repeat(2000) + ".mp4";

		HttpResponse<String> response = this.client
			.send(multipart(MultipartBody.file(hostile, SampleVideos.mp4())).uri(URI.create(base() + "/v1/videos"))
				.build(), BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(201);
		String id = json.readTree(response.body()).get("id").asString();
		Document stored = database().getCollection("fs.files").find(new Document("_id", new ObjectId(id))).first();
		assertThat(stored.getString("filename")).startsWith("passwdxxx")
			.doesNotContain("/", "\t", "\u0001", "\u007f")
			.hasSize(255);
	}

	@Test
	void storesNothingWhenTheClientDisconnectsHalfWayThroughAnUpload() throws Exception {
		// Over three GridFS chunks (255 KiB each) are sent before the client goes away.
		byte[] video = Arrays.copyOf(SampleVideos.mp4(), 900_000);
		try (Socket socket = new Socket("localhost", this.port); OutputStream out = socket.getOutputStream()) {
			String head = MultipartBody.head("file", "a.mp4");
			out.write(MultipartBody.requestHead(head.length() + video.length + 64));
			out.write(head.getBytes(StandardCharsets.ISO_8859_1));
			out.write(video, 0, 800_000);
			out.flush();
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(storedCounts()[2]).as("chunks written before the disconnect")
					.isGreaterThanOrEqualTo(this.storedBefore[2] + 3));
		}
		// The server notices the disconnect; the next request is served and nothing was
		// kept.
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			HttpResponse<String> list = this.client.send(
					HttpRequest.newBuilder(URI.create(base() + "/v1/videos?limit=1")).build(), BodyHandlers.ofString());
			assertThat(list.statusCode()).isEqualTo(200);
			assertNothingStored();
		});
	}

	@Test
	void keepsTheConnectionOfAnUploadWhoseLastLineBreakComesLate() throws Exception {
		byte[] body = MultipartBody.file("a.mp4", SampleVideos.mp4());
		try (Socket socket = new Socket("localhost", this.port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(("POST /v1/videos HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + MultipartBody.CONTENT_TYPE
					+ "\r\nContent-Length: " + body.length + "\r\n\r\n")
				.getBytes(StandardCharsets.ISO_8859_1));
			out.write(body, 0, body.length - 2);
			out.flush();
			// The client's pause, not a wait for the server: the close delimiter has
			// come,
			// its line break comes apart from it, as a packet of its own may.
			TimeUnit.MILLISECONDS.sleep(300);
			out.write(body, body.length - 2, 2);
			out.write(
					"GET /v1/videos?limit=1 HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			StringBuilder answers = new StringBuilder();
			byte[] buffer = new byte[8192];
			int count;
			while (!answers.toString().contains("HTTP/1.1 200")
					&& (count = socket.getInputStream().read(buffer)) != -1) {
				answers.append(new String(buffer, 0, count, StandardCharsets.ISO_8859_1));
			}
			assertThat(answers.toString()).as("both answers on one connection")
				.startsWith("HTTP/1.1 201")
				.contains("HTTP/1.1 200");
		}
	}

	@Test
	void refusesAnUploadThatDeclaresMoreThanTheLimitBeforeReadingIt() throws Exception {
		try (Socket socket = new Socket("localhost", this.port)) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream().write(MultipartBody.requestHead(10L << 30));
			socket.getOutputStream().flush();
			// Nothing of the body is sent: the answer comes from the declared length.
			BufferedReader answer = new BufferedReader(
					new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
			assertThat(answer.readLine()).startsWith("HTTP/1.1 413");
			List<String> headers = new ArrayList<>();
			for (String line = answer.readLine(); !line.isEmpty(); line = answer.readLine()) {
				headers.add(line.toLowerCase(Locale.ROOT));
			}
			assertThat(headers).contains("content-type: application/problem+json");
		}
		assertNothingStored();
	}

	@Test
	void saysTheContentTypeIsMissingAndWhichTypesAreTaken() throws Exception {
		HttpResponse<String> response = this.client.send(HttpRequest.newBuilder(URI.create(base() + "/v1/videos"))
			.POST(BodyPublishers.ofByteArray(SampleVideos.mp4()))
			.build(), BodyHandlers.ofString());

		assertProblem(response, 415);
		assertThat(json.readTree(response.body()).get("detail").asString()).doesNotContain("null")
			.contains("no Content-Type", "multipart/form-data");
	}

	private void assertProblem(HttpResponse<String> response, int status) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).as(response.headers() + " " + response.body())
			.hasValue("application/problem+json");
		JsonNode problem = json.readTree(response.body());
		assertThat(problem.get("status").asInt()).isEqualTo(status);
		assertThat(problem.get("title").asString()).isNotBlank();
		assertThat(problem.has("trace") || problem.has("exception")).as("no internals").isFalse();
		assertThat(response.body()).doesNotContain("at dev.labkafka", "at org.springframework", "Exception:");
	}

	private void assertNothingStored() {
		assertThat(storedCounts()).as("videos, fs.files, fs.chunks").containsExactly(this.storedBefore);
	}

	private String base() {
		return "http://localhost:" + this.port;
	}

	private URI uri(HttpRequest.Builder request) {
		return URI.create(base() + request.build().uri().getRawPath()
				+ ((request.build().uri().getRawQuery() != null) ? "?" + request.build().uri().getRawQuery() : ""));
	}

	private static HttpRequest.Builder request(String method, String path, String contentType, byte[] body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://placeholder" + path))
			.method(method, (body != null) ? BodyPublishers.ofByteArray(body) : BodyPublishers.noBody());
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		return request;
	}

	private static byte[] filePartFirst(int count, byte[] video) {
		MultipartBody body = MultipartBody.create().part("file", "a.mp4", video);
		for (int i = 1; i < count; i++) {
			body.part("note-" + i, "note.txt", "x".getBytes());
		}
		return body.bytes();
	}

	private static byte[] manyParts(int count, byte[] video) {
		MultipartBody body = MultipartBody.create();
		for (int i = 1; i < count; i++) {
			body.part("note-" + i, "note.txt", "x".getBytes());
		}
		return body.part("file", "a.mp4", video).bytes();
	}

	private static HttpRequest.Builder multipart(byte[] body) {
		return request("POST", "/v1/videos", MultipartBody.CONTENT_TYPE, body);
	}

}
