package dev.labkafka.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import de.bwaldvogel.mongo.backend.h2.H2Backend;
import dev.labkafka.api.VideoApiApplication;
import dev.labkafka.localstack.FreePorts;
import dev.labkafka.localstack.MongoWire;
import dev.labkafka.stream.VideoStreamApplication;
import dev.labkafka.testsupport.MultipartBody;
import dev.labkafka.testsupport.TestBrokers;
import dev.labkafka.testsupport.TestClips;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * A 300 MiB video through the API on what {@code make run} runs: the local stack's
 * MongoDB-wire server over an H2 file (a GridFS read of it is far over the 48 MB a wire
 * reply may hold), both services, a real Kafka broker. The video is made at test time by
 * ffmpeg (uncompressed 720p frames: valid media of that size in seconds), uploaded as
 * multipart streamed from its file, read back whole and compared by SHA-256, read by a
 * range at its very end byte for byte, and probed by the worker (ffprobe over the API's
 * url). Tagged {@value #TAG}, so that it can be run alone ({@code -Dgroups=large-media})
 * or left out ({@code -DexcludedGroups=large-media}). Skipped where ffmpeg is not
 * installed (CI installs it).
 */
@Tag(LargeVideoOnTheLocalStackTests.TAG)
@TestInstance(Lifecycle.PER_CLASS)
class LargeVideoOnTheLocalStackTests {

	static final String TAG = "large-media";

	static final JsonMapper json = JsonMapper.builder().build();

	/** 228 frames of 1280x720 yuv420p (1,382,400 bytes each): just over 300 MiB. */
	static final int FRAMES = 228;

	static final double FRAME_RATE = 25;

	final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	Path directory;

	Path video;

	MongoWire mongo;

	EmbeddedKafkaKraftBroker kafka;

	ConfigurableApplicationContext stream;

	ConfigurableApplicationContext api;

	String base;

	@BeforeAll
	void startTheLocalStack() throws Exception {
		assumeThat(TestClips.ffmpegInstalled()).as("ffmpeg and ffprobe installed").isTrue();
		this.directory = Files.createTempDirectory("large-video");
		this.video = this.directory.resolve("large.mkv");
		Process ffmpeg = new ProcessBuilder("ffmpeg", "-v", "error", "-f", "lavfi", "-i",
				"testsrc2=size=1280x720:rate=" + (int) FRAME_RATE, "-frames:v", Integer.toString(FRAMES), "-c:v",
				"rawvideo", "-pix_fmt", "yuv420p", this.video.toString())
			.redirectErrorStream(true)
			.start();
		String said = new String(ffmpeg.getInputStream().readAllBytes());
		assertThat(ffmpeg.waitFor()).as(said).isZero();
		assertThat(Files.size(this.video)).isGreaterThan(300L << 20);

		this.mongo = MongoWire.over(new H2Backend(this.directory.resolve("mongo.mv").toString()), "127.0.0.1", 0);
		this.kafka = TestBrokers.start();
		String[] infrastructure = { "--spring.kafka.bootstrap-servers=" + this.kafka.getBrokersAsString(),
				"--spring.mongodb.uri=" + this.mongo.uri() };
		int port = FreePorts.next();
		this.base = "http://localhost:" + port;
		this.stream = VideoStreamApplication.application()
			.run(PipelineEndToEndTests.concat(infrastructure, "--server.port=0"));
		this.api = VideoApiApplication.application()
			.run(PipelineEndToEndTests.concat(infrastructure, "--server.port=" + port, "--video.api.browser-port=-1",
					"--video.api.public-base-url=" + this.base));
	}

	@AfterAll
	void stopTheLocalStack() throws IOException {
		for (AutoCloseable part : new AutoCloseable[] { this.api, this.stream }) {
			try {
				if (part != null) {
					part.close();
				}
			}
			catch (Exception ex) {
				// Stopping the rest matters more.
			}
		}
		if (this.kafka != null) {
			this.kafka.destroy();
		}
		if (this.mongo != null) {
			this.mongo.close();
		}
		if (this.directory != null) {
			FileSystemUtils.deleteRecursively(this.directory);
		}
	}

	@Test
	void storesReadsWholeAndByRangeAndProbesA300MiBVideo() throws Exception {
		long size = Files.size(this.video);
		String head = MultipartBody.head("file", "large.mkv");
		String tail = "\r\n--" + MultipartBody.BOUNDARY + "--\r\n";
		long started = System.nanoTime();
		HttpResponse<String> created = this.http.send(HttpRequest.newBuilder(URI.create(this.base + "/v1/videos"))
			.header("Content-Type", MultipartBody.CONTENT_TYPE)
			.POST(BodyPublishers.concat(BodyPublishers.ofString(head), BodyPublishers.ofFile(this.video),
					BodyPublishers.ofString(tail)))
			.build(), BodyHandlers.ofString());
		Duration uploaded = Duration.ofNanos(System.nanoTime() - started);
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		JsonNode video = json.readTree(created.body());
		assertThat(video.get("size").asLong()).isEqualTo(size);
		String content = video.get("url").asString();

		started = System.nanoTime();
		HttpResponse<InputStream> whole = this.http.send(HttpRequest.newBuilder(URI.create(content)).build(),
				BodyHandlers.ofInputStream());
		assertThat(whole.statusCode()).isEqualTo(200);
		assertThat(whole.headers().firstValueAsLong("Content-Length")).hasValue(size);
		assertThat(sha256(whole.body())).as("read back whole, byte for byte")
			.isEqualTo(sha256(Files.newInputStream(this.video)));
		Duration read = Duration.ofNanos(System.nanoTime() - started);
		System.out.printf("%d bytes: uploaded in %d ms, read back in %d ms%n", size, uploaded.toMillis(),
				read.toMillis());

		long from = size - 1_000_003;
		HttpResponse<byte[]> end = this.http.send(
				HttpRequest.newBuilder(URI.create(content)).header("Range", "bytes=" + from + "-").build(),
				BodyHandlers.ofByteArray());
		assertThat(end.statusCode()).isEqualTo(206);
		assertThat(end.headers().firstValue("Content-Range")).hasValue("bytes " + from + "-" + (size - 1) + "/" + size);
		assertThat(end.body()).isEqualTo(bytes(from, (int) (size - from)));

		String id = video.get("id").asString();
		JsonNode probed = await().atMost(Duration.ofMinutes(2))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> get("/v1/videos/" + id), (found) -> found.get("width").asInt() > 0);
		assertThat(probed.get("width").asInt()).isEqualTo(1280);
		assertThat(probed.get("height").asInt()).isEqualTo(720);
		assertThat(probed.get("duration").asDouble()).isCloseTo(FRAMES / FRAME_RATE, within(0.1));
		JsonNode done = await().atMost(Duration.ofMinutes(2))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> get("/v1/videos/" + id),
					(found) -> List.of("success", "failed").contains(found.get("status").asString()));
		assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("success");
		assertThat(done.has("thumbnail")).as("its poster frame").isTrue();
	}

	private JsonNode get(String path) throws IOException, InterruptedException {
		return json.readTree(
				this.http.send(HttpRequest.newBuilder(URI.create(this.base + path)).build(), BodyHandlers.ofString())
					.body());
	}

	private byte[] bytes(long from, int length) throws IOException {
		try (RandomAccessFile file = new RandomAccessFile(this.video.toFile(), "r")) {
			byte[] bytes = new byte[length];
			file.seek(from);
			file.readFully(bytes);
			return bytes;
		}
	}

	private static String sha256(InputStream in) throws IOException, NoSuchAlgorithmException {
		MessageDigest digest = MessageDigest.getInstance("SHA-256");
		try (DigestInputStream digesting = new DigestInputStream(in, digest)) {
			digesting.transferTo(OutputStream.nullOutputStream());
		}
		return HexFormat.of().formatHex(digest.digest());
	}

}
