package dev.labkafka.api.video;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.labkafka.api.VideoApiApplication;
import dev.labkafka.messages.Topics;
import dev.labkafka.testsupport.MongoWireServer;
import dev.labkafka.testsupport.SampleVideos;
import dev.labkafka.testsupport.TcpGate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.kafka.test.utils.KafkaTestUtils;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kafka down at upload time: the upload still succeeds, promptly, and its announcement
 * goes out once Kafka can be reached, without anyone uploading again. The API knows Kafka
 * by a gate's address, closed until the test opens it onto a real broker.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { VideoApiApplication.CONFIG_NAME,
		"video.api.outbox.interval=200ms", "spring.kafka.admin.operation-timeout=2s" })
class OutboxIntegrationTests {

	static final TcpGate gate = TcpGate.closed();

	static EmbeddedKafkaKraftBroker kafka;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		registry.add("spring.mongodb.uri", MongoWireServer.shared()::uri);
		registry.add("spring.kafka.bootstrap-servers", () -> "127.0.0.1:" + gate.port());
	}

	@AfterAll
	static void stopKafka() throws IOException {
		gate.close();
		if (kafka != null) {
			kafka.destroy();
		}
	}

	@LocalServerPort
	int port;

	@Autowired
	MongoDatabaseFactory databases;

	@Test
	void keepsAnUploadWhileKafkaIsDownAndAnnouncesItOnceKafkaIsBack() throws IOException {
		long started = System.nanoTime();
		ResponseEntity<String> response = upload();
		Duration answeredIn = Duration.ofNanos(System.nanoTime() - started);

		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		assertThat(answeredIn).as("not the producer's default 60 s").isLessThan(Duration.ofSeconds(10));
		String id = JsonMapper.builder().build().readTree(response.getBody()).get("id").asString();
		assertThat(video(id)).as("in the outbox").containsKey("announce_at");

		kafka = new EmbeddedKafkaKraftBroker(1, 1, Topics.VIDEOS);
		kafka.afterPropertiesSet();
		gate.open(Integer.parseInt(kafka.getBrokersAsString().replaceAll(".*:", "")));

		Map<String, Object> properties = KafkaTestUtils.consumerProps(kafka, "outbox-test", false);
		try (Consumer<String, String> consumer = new DefaultKafkaConsumerFactory<>(properties, new StringDeserializer(),
				new StringDeserializer())
			.createConsumer()) {
			consumer.subscribe(List.of(Topics.VIDEOS));
			await().atMost(Duration.ofSeconds(60))
				.untilAsserted(() -> assertThat(
						KafkaTestUtils.getRecords(consumer, Duration.ofMillis(500)).records(Topics.VIDEOS))
					.anySatisfy((record) -> assertThat(record.key()).isEqualTo(id)));
		}
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(video(id)).as("out of the outbox").doesNotContainKey("announce_at"));
	}

	private ResponseEntity<String> upload() {
		MultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
		parts.add("file", new ByteArrayResource(SampleVideos.mp4()) {
			@Override
			public String getFilename() {
				return "clip.mp4";
			}
		});
		return RestClient.create("http://localhost:" + this.port)
			.post()
			.uri("/v1/videos")
			.contentType(MediaType.MULTIPART_FORM_DATA)
			.body(parts)
			.retrieve()
			.toEntity(String.class);
	}

	private Document video(String id) {
		return this.databases.getMongoDatabase()
			.getCollection("videos")
			.find(new Document("_id", new ObjectId(id)))
			.first();
	}

}
