package dev.labkafka.api.outbox;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.labkafka.api.VideoApiApplication;
import dev.labkafka.kafkaadmin.KafkaClusterId;
import dev.labkafka.messages.Topics;
import dev.labkafka.testsupport.LenientHttp;
import dev.labkafka.testsupport.MongoWireServer;
import dev.labkafka.testsupport.SampleVideos;
import dev.labkafka.testsupport.StoredVideos;
import dev.labkafka.testsupport.TcpGate;
import dev.labkafka.testsupport.TestBrokers;
import dev.labkafka.testsupport.TestKafka;
import dev.labkafka.videos.QueuedRecord;
import dev.labkafka.videos.VideoFields;
import org.apache.kafka.clients.consumer.Consumer;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kafka down: the API stays ready, an upload still succeeds, promptly, and its
 * announcement goes out once Kafka can be reached, without anyone uploading again; no
 * video is called stuck while Kafka cannot say where the worker is. The API knows Kafka
 * by a gate's address, closed but while one test opens it onto a real broker; each test
 * starts with Kafka down, whatever ran before.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { VideoApiApplication.CONFIG_NAME, "video.api.outbox.interval=200ms", "video.api.outbox.lease=2s",
				"video.api.stuck.check-interval=200ms" })
@ExtendWith(OutputCaptureExtension.class)
class OutboxIntegrationTests {

	static final TcpGate gate = TcpGate.closed();

	static final JsonMapper json = JsonMapper.builder().build();

	static EmbeddedKafkaKraftBroker kafka;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		registry.add("spring.mongodb.uri", MongoWireServer.shared()::uri);
		registry.add("spring.kafka.bootstrap-servers", () -> "127.0.0.1:" + gate.port());
	}

	@AfterAll
	static void closeGate() throws IOException {
		gate.close();
	}

	/**
	 * Kafka is down again after a test that brought it up: every test starts with it
	 * down, whatever ran before.
	 */
	@AfterEach
	void stopKafka() throws IOException {
		gate.cut();
		if (kafka != null) {
			kafka.destroy();
			kafka = null;
		}
	}

	@LocalServerPort
	int port;

	@Autowired
	MongoDatabaseFactory databases;

	@Autowired
	KafkaAdmin kafkaAdmin;

	RestClient http;

	StoredVideos videos;

	@BeforeEach
	void clients() {
		this.http = LenientHttp.client("http://localhost:" + this.port);
		this.videos = new StoredVideos(this.databases.getMongoDatabase());
	}

	@Test
	void staysReadyWhileKafkaIsDownAndAnswersItsHealthPromptly() {
		assertThat(this.kafkaAdmin.getClusterId()).as("looked up once at startup, not on every send")
			.isEqualTo(KafkaClusterId.UNKNOWN);
		for (String path : List.of("/actuator/health/readiness", "/actuator/health/liveness", "/actuator/health")) {
			long started = System.nanoTime();
			ResponseEntity<String> response = this.http.get().uri(path).retrieve().toEntity(String.class);
			Duration answeredIn = Duration.ofNanos(System.nanoTime() - started);

			assertThat(answeredIn).as(path + " inside a container healthcheck's 5 s").isLessThan(Duration.ofSeconds(5));
			if (path.equals("/actuator/health")) {
				assertThat(response.getStatusCode()).as("the whole health shows Kafka down")
					.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
			}
			else {
				assertThat(response.getStatusCode()).as(path).isEqualTo(HttpStatus.OK);
			}
		}
	}

	@Test
	void answersUploadsWhileKafkaIsDownSideBySideWithoutErrors(CapturedOutput output) throws Exception {
		List<CompletableFuture<ResponseEntity<String>>> uploads = new ArrayList<>();
		long started = System.nanoTime();
		for (int i = 0; i < 4; i++) {
			uploads.add(CompletableFuture.supplyAsync(this::upload));
		}
		for (CompletableFuture<ResponseEntity<String>> upload : uploads) {
			assertThat(upload.get().getStatusCode()).isEqualTo(HttpStatus.CREATED);
		}
		Duration all = Duration.ofNanos(System.nanoTime() - started);

		assertThat(all).as("each waits max.block.ms (3 s) at most, none behind another")
			.isLessThan(Duration.ofSeconds(6));
		assertThat(output.getOut().lines().filter((line) -> line.contains(" ERROR "))).as("Kafka down is expected")
			.isEmpty();
	}

	@Test
	void callsNoVideoStuckWhileKafkaCannotSayWhereTheWorkerIs() {
		String id = this.videos.insertUploaded();
		Date anHourAgo = Date.from(Instant.now().minus(Duration.ofHours(1)));
		this.videos.set(id,
				new Document(VideoFields.UPDATED_AT, anHourAgo).append(VideoFields.ANNOUNCEMENT,
						new Document(QueuedRecord.TOPIC, Topics.VIDEOS).append(QueuedRecord.PARTITION, 0)
							.append(QueuedRecord.OFFSET, 0L)));

		// Each pass waits up to 3 s for Kafka before it gives up: two of them.
		await().during(Duration.ofSeconds(7))
			.atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.videos.find(id).getDate(VideoFields.UPDATED_AT)).isEqualTo(anHourAgo));
		this.videos.collection().deleteOne(new Document(VideoFields.ID, new org.bson.types.ObjectId(id)));
	}

	@Test
	void keepsAnUploadWhileKafkaIsDownAndAnnouncesItOnceKafkaIsBack() throws IOException {
		long started = System.nanoTime();
		ResponseEntity<String> response = upload();
		Duration answeredIn = Duration.ofNanos(System.nanoTime() - started);

		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		assertThat(answeredIn).as("not the producer's default 60 s").isLessThan(Duration.ofSeconds(10));
		String id = json.readTree(response.getBody()).get("id").asString();
		assertThat(this.videos.find(id)).as("in the outbox").containsKey(VideoFields.ANNOUNCE_AT);
		assertThat(this.videos.find(id)).doesNotContainKey(VideoFields.ANNOUNCEMENT);
		Date firstDue = this.videos.find(id).getDate(VideoFields.ANNOUNCE_AT);
		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(this.videos.find(id).getDate(VideoFields.ANNOUNCE_AT))
				.as("sent again by the relay once its lease ran out, and due again later")
				.isAfter(firstDue));

		kafka = TestBrokers.start(Topics.VIDEOS);
		gate.open(Integer.parseInt(kafka.getBrokersAsString().replaceAll(".*:", "")));

		try (Consumer<String, String> consumer = new TestKafka(kafka.getBrokersAsString()).subscribed(Topics.VIDEOS)) {
			assertThat(TestKafka.awaitRecords(consumer, (record) -> id.equals(record.key()), 1)).isNotEmpty();
		}
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(this.videos.find(id)).as("out of the outbox")
				.doesNotContainKey(VideoFields.ANNOUNCE_AT)
				.containsKey(VideoFields.ANNOUNCEMENT));
	}

	private ResponseEntity<String> upload() {
		return LenientHttp.upload(this.http, "clip.mp4", SampleVideos.mp4());
	}

}
