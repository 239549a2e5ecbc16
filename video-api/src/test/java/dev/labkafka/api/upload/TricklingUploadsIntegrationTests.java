package dev.labkafka.api.upload;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import dev.labkafka.api.VideoApiApplication;
import dev.labkafka.testsupport.Instances;
import dev.labkafka.testsupport.MongoWireServer;
import dev.labkafka.testsupport.MultipartBody;
import dev.labkafka.testsupport.SampleVideos;
import dev.labkafka.testsupport.TestBrokers;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Uploads that trickle (a byte every quarter of a second, raw sockets from addresses of
 * their own on the loopback network, 127.0.0.x) beside a client that uploads normally, on
 * instances with the default 32 slots: one cuts a body that comes under 16 KB/s over a 2
 * s window, the other keeps the default 30 s window, so that its tricklers stay while one
 * client's share is tested.
 */
@TestInstance(Lifecycle.PER_CLASS)
class TricklingUploadsIntegrationTests {

	static final JsonMapper json = JsonMapper.builder().build();

	static final int SLOTS = 32;

	EmbeddedKafkaKraftBroker kafka;

	Instances instances;

	/** Cuts off a body under the minimum rate after 2 s. */
	ConfigurableApplicationContext cutting;

	/** The default window: its tricklers hold their slots while the test runs. */
	ConfigurableApplicationContext sharing;

	MongoClient mongo;

	MongoDatabase database;

	final HttpClient http = HttpClient.newHttpClient();

	final List<Trickler> tricklers = new ArrayList<>();

	ScheduledExecutorService trickle;

	@BeforeAll
	void startInstances() {
		this.kafka = TestBrokers.start();
		this.instances = new Instances(VideoApiApplication::application, this.kafka.getBrokersAsString(),
				"--video.api.browser-port=-1");
		this.cutting = this.instances.start("--video.api.upload.min-rate-window=2s");
		this.sharing = this.instances.start();
		this.mongo = MongoClients.create(MongoWireServer.shared().uri());
		this.database = this.mongo.getDatabase(MongoWireServer.DATABASE);
	}

	@AfterAll
	void stop() {
		this.mongo.close();
		this.instances.close();
		this.kafka.destroy();
	}

	@AfterEach
	void closeTricklers() throws IOException {
		this.trickle.shutdownNow();
		for (Trickler trickler : this.tricklers) {
			trickler.close();
		}
		this.tricklers.clear();
	}

	@Test
	void tricklingUploadsAreCutOffAndTheirSlotsGoToOthers() throws Exception {
		byte[] video = SampleVideos.mp4();
		byte[] multipart = MultipartBody.file("slow.mp4", video);
		int headLength = MultipartBody.head("file", "slow.mp4").length();
		long videos = count("videos");
		long files = count("fs.files");
		List<String> resumable = new ArrayList<>();
		for (int i = 0; i < SLOTS; i++) {
			// Each from an address of its own: the share of one client does not stop
			// them.
			String address = "127.0.0." + (10 + i);
			if (i % 2 == 0) {
				this.tricklers.add(Trickler.open(address, port(this.cutting), "POST /v1/videos",
						"Content-Type: " + MultipartBody.CONTENT_TYPE, multipart, headLength + 100));
			}
			else {
				String id = createUpload(this.cutting, video.length);
				resumable.add(id);
				this.tricklers.add(Trickler.open(address, port(this.cutting), "PATCH /v1/uploads/" + id,
						"Tus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\nContent-Type: application/offset+octet-stream",
						video, 1000));
			}
		}
		startTrickling();
		await().atMost(Duration.ofSeconds(10)).until(() -> activeUploads(this.cutting) == SLOTS);
		HttpResponse<String> refused = upload(this.cutting, video);
		assertThat(refused.statusCode()).as("every slot is held by a trickler").isEqualTo(503);

		await().atMost(Duration.ofSeconds(15))
			.pollInterval(Duration.ofMillis(500))
			.untilAsserted(() -> assertThat(upload(this.cutting, video).statusCode()).isEqualTo(201));
		await().atMost(Duration.ofSeconds(15)).until(() -> activeUploads(this.cutting) == 0);

		for (Trickler trickler : this.tricklers) {
			assertThat(trickler.status()).as("cut off").isEqualTo(408);
		}
		assertThat(count("videos")).as("the normal upload only").isEqualTo(videos + 1);
		assertThat(count("fs.files")).as("nothing half-stored").isEqualTo(files + 1);
		for (String id : resumable) {
			HttpResponse<String> head = this.http
				.send(tus(this.cutting, id).method("HEAD", BodyPublishers.noBody()).build(), BodyHandlers.ofString());
			int offset = Integer.parseInt(head.headers().firstValue("Upload-Offset").orElseThrow());
			assertThat(offset).as("what arrived is kept").isGreaterThanOrEqualTo(1000);
			HttpResponse<String> rest = this.http
				.send(tus(this.cutting, id).header("Upload-Offset", String.valueOf(offset))
					.header("Content-Type", "application/offset+octet-stream")
					.method("PATCH", BodyPublishers.ofByteArray(Arrays.copyOfRange(video, offset, video.length)))
					.build(), BodyHandlers.ofString());
			assertThat(rest.statusCode()).as("it resumes: %s", rest.body()).isEqualTo(204);
		}
	}

	@Test
	void oneClientHoldsAtMostItsShareOfTheSlotsWhileOthersUpload() throws Exception {
		byte[] video = SampleVideos.mp4();
		byte[] multipart = MultipartBody.file("slow.mp4", video);
		int headLength = MultipartBody.head("file", "slow.mp4").length();
		for (int i = 0; i < SLOTS; i++) {
			this.tricklers.add(Trickler.open("127.0.0.2", port(this.sharing), "POST /v1/videos",
					"Content-Type: " + MultipartBody.CONTENT_TYPE, multipart, headLength + 100));
		}
		startTrickling();
		await().atMost(Duration.ofSeconds(10)).until(() -> activeUploads(this.sharing) == SLOTS / 2);

		try (Trickler more = Trickler.open("127.0.0.2", port(this.sharing), "POST /v1/videos",
				"Content-Type: " + MultipartBody.CONTENT_TYPE, multipart, 0)) {
			String answer = more.answer();
			assertThat(answer).startsWith("HTTP/1.1 503")
				.containsIgnoringCase("Retry-After: 5")
				.containsIgnoringCase("Content-Type: application/problem+json")
				.contains("\"title\":\"Too many uploads from this client\"");
		}
		HttpResponse<String> other = upload(this.sharing, video);
		assertThat(other.statusCode()).as("another client uploads: %s", other.body()).isEqualTo(201);
		assertThat(activeUploads(this.sharing)).as("the tricklers are still there").isEqualTo(SLOTS / 2);
	}

	@Test
	void aChunkedUploadThatTricklesAChunkExtensionIsCutOff() throws Exception {
		byte[] video = SampleVideos.mp4();
		byte[] multipart = MultipartBody.file("slow.mp4", video);
		int headLength = MultipartBody.head("file", "slow.mp4").length();
		this.tricklers.add(Trickler.openChunked(port(this.sharing), "POST /v1/videos",
				"Content-Type: " + MultipartBody.CONTENT_TYPE, Arrays.copyOf(multipart, headLength + 100)));
		startTrickling();

		// One read of the body would otherwise wait for the extension's end for ever: the
		// minimum rate never sees it.
		assertThat(this.tricklers.get(0).status()).as("refused within 10 s").isEqualTo(400);
		await().atMost(Duration.ofSeconds(10)).until(() -> activeUploads(this.sharing) == 0);
	}

	private void startTrickling() {
		this.trickle = Executors.newSingleThreadScheduledExecutor();
		this.trickle.scheduleAtFixedRate(() -> this.tricklers.forEach(Trickler::trickle), 250, 250,
				TimeUnit.MILLISECONDS);
	}

	private HttpResponse<String> upload(ConfigurableApplicationContext instance, byte[] video) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(base(instance) + "/v1/videos"))
			.header("Content-Type", MultipartBody.CONTENT_TYPE)
			.POST(BodyPublishers.ofByteArray(MultipartBody.file("normal.mp4", video)))
			.build(), BodyHandlers.ofString());
	}

	private String createUpload(ConfigurableApplicationContext instance, int length) throws Exception {
		HttpResponse<String> created = this.http.send(HttpRequest.newBuilder(URI.create(base(instance) + "/v1/uploads"))
			.header("Tus-Resumable", "1.0.0")
			.header("Upload-Length", String.valueOf(length))
			.POST(BodyPublishers.noBody())
			.build(), BodyHandlers.ofString());
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		// The upload's address: its Location's last segment (the video id and its key).
		String location = created.headers().firstValue("Location").orElseThrow();
		return location.substring(location.lastIndexOf('/') + 1);
	}

	private static HttpRequest.Builder tus(ConfigurableApplicationContext instance, String id) {
		return HttpRequest.newBuilder(URI.create(base(instance) + "/v1/uploads/" + id))
			.header("Tus-Resumable", "1.0.0");
	}

	private long count(String collection) {
		return this.database.getCollection(collection).countDocuments();
	}

	private static double activeUploads(ConfigurableApplicationContext instance) {
		return instance.getBean(MeterRegistry.class).get("videos.uploads.active").gauge().value();
	}

	private static String base(ConfigurableApplicationContext instance) {
		return "http://localhost:" + port(instance);
	}

	private static int port(ConfigurableApplicationContext instance) {
		return ((WebServerApplicationContext) instance).getWebServer().getPort();
	}

	/**
	 * A client that sends its request's headers and the first bytes of its body at once,
	 * then one more byte at each {@link #trickle()}, until the server answers.
	 */
	static final class Trickler implements AutoCloseable {

		private final Socket socket;

		private final byte[] body;

		private int sent;

		private boolean answered;

		private Trickler(Socket socket, byte[] body, int sent) {
			this.socket = socket;
			this.body = body;
			this.sent = sent;
		}

		static Trickler open(String address, int port, String requestLine, String headers, byte[] body, int first)
				throws IOException {
			Socket socket = new Socket();
			socket.bind(new InetSocketAddress(address, 0));
			socket.connect(new InetSocketAddress("127.0.0.1", port));
			String head = requestLine + " HTTP/1.1\r\nHost: localhost\r\n" + headers + "\r\nContent-Length: "
					+ body.length + "\r\n\r\n";
			socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
			socket.getOutputStream().write(body, 0, first);
			socket.getOutputStream().flush();
			return new Trickler(socket, body, first);
		}

		/**
		 * A client that sends a chunked body: {@code first} as its first chunk, then the
		 * size of a second chunk and an extension, of which it sends one more byte at
		 * each {@link #trickle()}.
		 */
		static Trickler openChunked(int port, String requestLine, String headers, byte[] first) throws IOException {
			Socket socket = new Socket();
			socket.connect(new InetSocketAddress("127.0.0.1", port));
			String head = requestLine + " HTTP/1.1\r\nHost: localhost\r\n" + headers
					+ "\r\nTransfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(first.length) + "\r\n";
			socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
			socket.getOutputStream().write(first);
			socket.getOutputStream().write("\r\n1;".getBytes(StandardCharsets.US_ASCII));
			socket.getOutputStream().flush();
			byte[] extension = new byte[10_000];
			Arrays.fill(extension, (byte) 'a');
			return new Trickler(socket, extension, 0);
		}

		synchronized void trickle() {
			if (this.answered || this.sent >= this.body.length) {
				return;
			}
			try {
				if (this.socket.getInputStream().available() > 0) {
					this.answered = true;
					return;
				}
				this.socket.getOutputStream().write(this.body, this.sent++, 1);
			}
			catch (IOException ex) {
				this.answered = true;
			}
		}

		/** The answer's status code. */
		synchronized int status() throws IOException {
			this.socket.setSoTimeout(10_000);
			String statusLine = new String(this.socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
			return Integer.parseInt(statusLine.substring(9, 12));
		}

		/** The whole answer, until the server closes the connection. */
		String answer() throws IOException {
			this.socket.setSoTimeout(10_000);
			InputStream in = this.socket.getInputStream();
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}

		@Override
		public void close() throws IOException {
			this.socket.close();
		}

	}

}
