package dev.labkafka.api.video;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import dev.labkafka.api.VideoApiApplication;
import dev.labkafka.messages.Topics;
import dev.labkafka.testsupport.MongoWireServer;
import dev.labkafka.testsupport.SampleVideos;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.kafka.test.utils.KafkaTestUtils;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The API over real HTTP, on a real Kafka broker and a MongoDB-wire server: the setup and
 * helpers its integration tests share (one Spring context for all of them).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { VideoApiApplication.CONFIG_NAME,
		"spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}", "video.api.upload.max-file-size=256KB" })
@EmbeddedKafka
abstract class ApiIntegrationTests {

	static final JsonMapper json = JsonMapper.builder().build();

	@DynamicPropertySource
	static void mongo(DynamicPropertyRegistry registry) {
		registry.add("spring.mongodb.uri", MongoWireServer.shared()::uri);
	}

	@LocalServerPort
	int port;

	/** Where the application's Kafka is: the embedded broker, or a container's. */
	@Autowired
	KafkaConnectionDetails kafka;

	@Autowired
	MongoDatabaseFactory databases;

	RestClient http;

	@BeforeEach
	void client() {
		this.http = RestClient.builder()
			.baseUrl("http://localhost:" + this.port)
			.defaultStatusHandler((status) -> true, (request, response) -> {
			})
			.build();
	}

	ResponseEntity<String> upload(String filename, byte[] content) {
		MultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
		parts.add("file", new ByteArrayResource(content) {
			@Override
			public String getFilename() {
				return filename;
			}
		});
		return this.http.post()
			.uri("/v1/videos")
			.contentType(MediaType.MULTIPART_FORM_DATA)
			.body(parts)
			.retrieve()
			.toEntity(String.class);
	}

	static ConsumerRecord<String, String> awaitRecord(Consumer<String, String> consumer, String key) {
		List<ConsumerRecord<String, String>> seen = new ArrayList<>();
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
			consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
			assertThat(seen).extracting(ConsumerRecord::key).contains(key);
		});
		return seen.stream().filter((record) -> key.equals(record.key())).findFirst().orElseThrow();
	}

	static String idOf(ResponseEntity<String> response) {
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		return json.readTree(response.getBody()).get("id").asString();
	}

	/** Waits until {@code count} records with this key have arrived, and returns them. */
	static List<ConsumerRecord<String, String>> awaitRecords(Consumer<String, String> consumer, String key, int count) {
		List<ConsumerRecord<String, String>> seen = new ArrayList<>();
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
			assertThat(seen).filteredOn((record) -> key.equals(record.key())).hasSizeGreaterThanOrEqualTo(count);
		});
		return seen.stream().filter((record) -> key.equals(record.key())).toList();
	}

	MongoCollection<Document> videos() {
		return database().getCollection("videos");
	}

	long chunksOf(String id) {
		return database().getCollection("fs.chunks").countDocuments(new Document("files_id", new ObjectId(id)));
	}

	MongoDatabase database() {
		return this.databases.getMongoDatabase();
	}

	Consumer<String, String> consumer() {
		Map<String, Object> properties = KafkaTestUtils.consumerProps(brokers(), "api-test-" + new ObjectId(), false);
		return new DefaultKafkaConsumerFactory<>(properties, new StringDeserializer(), new StringDeserializer())
			.createConsumer();
	}

	String brokers() {
		return String.join(",", this.kafka.getBootstrapServers());
	}

}
