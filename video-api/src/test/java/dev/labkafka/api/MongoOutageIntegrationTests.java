package dev.labkafka.api;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.gridfs.GridFSBuckets;
import dev.labkafka.api.VideoApiApplication;
import dev.labkafka.testsupport.MongoWireServer;
import dev.labkafka.testsupport.MultipartBody;
import dev.labkafka.testsupport.SampleVideos;
import dev.labkafka.testsupport.StoredVideos;
import dev.labkafka.testsupport.TcpGate;
import org.bson.BsonObjectId;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * MongoDB going away, during an upload and before one: the API answers a 503 problem
 * (also to a request for an event stream that needs MongoDB first) within seconds (its
 * {@code video.api.database.timeout}, 3 s), logs a warning and no error, and once MongoDB
 * is back nothing of the failed upload is left. The API reaches MongoDB through a gate
 * that the test cuts.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { VideoApiApplication.CONFIG_NAME,
				"spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}", "video.api.outbox.interval=200ms" })
@EmbeddedKafka
@ExtendWith(OutputCaptureExtension.class)
class MongoOutageIntegrationTests {

	static final TcpGate mongo = TcpGate.openOnto(MongoWireServer.shared().port());

	/** The API's timeout to reach MongoDB, the default. */
	static final Duration DATABASE_TIMEOUT = Duration.ofSeconds(3);

	@DynamicPropertySource
	static void mongoThroughTheGate(DynamicPropertyRegistry registry) {
		registry.add("spring.mongodb.uri",
				() -> "mongodb://127.0.0.1:" + mongo.port() + "/" + MongoWireServer.DATABASE);
	}

	@AfterAll
	static void closeTheGate() throws IOException {
		mongo.close();
	}

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry metrics;

	final HttpClient http = HttpClient.newHttpClient();

	@AfterEach
	void mongoIsBack() throws IOException {
		mongo.cut();
		mongo.open(MongoWireServer.shared().port());
	}

	@Test
	void answers503AfterOneTimeoutWhenMongoGoesDownMidUploadAndKeepsNothingOnceItIsBack(CapturedOutput output)
			throws Exception {
		long[] before = storedCounts();
		byte[] video = Arrays.copyOf(SampleVideos.mp4(), 900_000);
		String head = MultipartBody.head("file", "cut-off.mp4");
		String tail = "\r\n--" + MultipartBody.BOUNDARY + "--\r\n";
		String answer;
		Duration answeredIn;
		try (Socket socket = new Socket("localhost", this.port)) {
			OutputStream out = socket.getOutputStream();
			out.write(MultipartBody.requestHead(head.length() + video.length + tail.length()));
			out.write(head.getBytes(StandardCharsets.ISO_8859_1));
			out.write(video, 0, 600_000);
			out.flush();
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(storedCounts()[2]).as("chunks stored before MongoDB goes")
					.isGreaterThanOrEqualTo(before[2] + 2));

			mongo.cut();
			// Once the API's readiness says MongoDB is gone, its driver has given the
			// server up too: the next chunk waits out the timeout once, and only once.
			await().atMost(DATABASE_TIMEOUT.multipliedBy(3))
				.untilAsserted(() -> assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(503));
			long cut = System.nanoTime();
			out.write(video, 600_000, video.length - 600_000);
			out.write(tail.getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			answer = readAnswer(socket.getInputStream());
			answeredIn = Duration.ofNanos(System.nanoTime() - cut);
		}

		assertThat(answer).startsWith("HTTP/1.1 503")
			.contains("Content-Type: application/problem+json", "Retry-After: 5", "\"title\":\"Database unavailable\"");
		assertThat(answeredIn).as("one timeout, without waiting for MongoDB once more to clean up")
			.isLessThan(DATABASE_TIMEOUT.multipliedBy(3).dividedBy(2));
		System.out.println("503 with MongoDB gone mid-upload in " + answeredIn.toMillis() + " ms");

		mongo.open(MongoWireServer.shared().port());
		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(storedCounts()).as("videos, fs.files, fs.chunks").containsExactly(before));
		assertThat(output.getOut().lines().filter((line) -> line.contains(" ERROR ")))
			.as("an outage is expected: warnings, no errors")
			.isEmpty();
	}

	@Test
	void closesTheConnectionWhenMongoGoesDownMidReadAndLogsItOnce(CapturedOutput output) throws Exception {
		int size = 24 << 20;
		String id;
		try (MongoClient client = MongoClients.create(MongoWireServer.shared().uri())) {
			MongoDatabase database = client.getDatabase(MongoWireServer.DATABASE);
			id = new StoredVideos(database).insertUploaded();
			byte[] bytes = new byte[size];
			new Random(24).nextBytes(bytes);
			GridFSBuckets.create(database)
				.uploadFromStream(new BsonObjectId(new ObjectId(id)), "clip.mp4", new ByteArrayInputStream(bytes));
		}
		long received;
		String head;
		try (Socket socket = new Socket("localhost", this.port)) {
			socket.setSoTimeout(30_000);
			socket.getOutputStream()
				.write(("GET /v1/videos/" + id + "/content HTTP/1.1\r\nHost: localhost\r\n\r\n")
					.getBytes(StandardCharsets.ISO_8859_1));
			InputStream in = socket.getInputStream();
			byte[] first = in.readNBytes(1 << 20);
			String text = new String(first, StandardCharsets.ISO_8859_1);
			head = text.substring(0, text.indexOf("\r\n\r\n"));
			mongo.cut();
			received = first.length + in.transferTo(OutputStream.nullOutputStream());
		}

		assertThat(head).startsWith("HTTP/1.1 200").contains("Content-Length: " + size);
		assertThat(received).as("cut short, then closed").isLessThan(size);
		assertThat(output.getOut().lines().filter((line) -> line.contains("The original of video " + id)))
			.singleElement()
			.asString()
			.contains(" WARN ", "after its answer began");
		// The embedded broker's own complaints of a slow machine aside.
		assertThat(output.getOut().lines().filter((line) -> line.contains(" ERROR ") && !line.contains(" o.a.k.")))
			.isEmpty();
		assertThat(output.getOut()).doesNotContain("\tat ").doesNotContain("already committed");
	}

	@Test
	void answers503WithinItsTimeoutWhileMongoIsDown() throws Exception {
		mongo.cut();
		String unknown = new ObjectId().toHexString();
		for (HttpRequest request : List.of(
				HttpRequest.newBuilder(uri("/v1/videos"))
					.header("Content-Type", MultipartBody.CONTENT_TYPE)
					.POST(HttpRequest.BodyPublishers.ofByteArray(MultipartBody.file("clip.mp4", SampleVideos.mp4())))
					.build(),
				HttpRequest.newBuilder(uri("/v1/videos")).build(),
				HttpRequest.newBuilder(uri("/v1/videos/" + unknown)).build(),
				HttpRequest.newBuilder(uri("/v1/videos/" + unknown + "/content")).build(),
				HttpRequest.newBuilder(uri("/v1/videos/" + unknown)).DELETE().build(),
				HttpRequest.newBuilder(uri("/v1/videos/" + unknown + "/events")).build(),
				HttpRequest.newBuilder(uri("/v1/videos/events")).header("Last-Event-ID", "1").build())) {
			long started = System.nanoTime();
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			Duration answeredIn = Duration.ofNanos(System.nanoTime() - started);

			String what = request.method() + " " + request.uri().getPath();
			assertThat(response.statusCode()).as(what).isEqualTo(503);
			assertThat(response.headers().firstValue("Content-Type")).as(what).hasValue("application/problem+json");
			assertThat(answeredIn).as(what).isLessThan(DATABASE_TIMEOUT.plusSeconds(2));
		}
		assertThat(this.metrics.get("videos.event.streams").gauge().value()).as("event streams refused hold no place")
			.isZero();
		assertThat(get("/actuator/health/readiness").statusCode()).as("not ready without its database").isEqualTo(503);
		assertThat(get("/readyz").statusCode()).as("the same group on the API's own port").isEqualTo(503);
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	/**
	 * The answer's head and body, read until the server closes or the body is complete.
	 */
	private static String readAnswer(InputStream in) throws IOException {
		byte[] buffer = new byte[8192];
		StringBuilder answer = new StringBuilder();
		int read;
		while ((read = in.read(buffer)) != -1) {
			answer.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
			if (answer.indexOf("\r\n\r\n") > 0 && answer.toString().endsWith("}")) {
				break;
			}
		}
		return answer.toString();
	}

	/** Documents in the videos collection and GridFS's two, read past the gate. */
	private static long[] storedCounts() {
		try (MongoClient client = MongoClients.create(MongoWireServer.shared().uri())) {
			MongoDatabase database = client.getDatabase(MongoWireServer.DATABASE);
			return new long[] { database.getCollection("videos").countDocuments(),
					database.getCollection("fs.files").countDocuments(),
					database.getCollection("fs.chunks").countDocuments() };
		}
	}

}
