package dev.labkafka.stream.rendition;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.mongodb.client.MongoCollection;
import dev.labkafka.messages.Topics;
import dev.labkafka.stream.VideoStreamApplication;
import dev.labkafka.testsupport.MongoWireServer;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.kafka.test.utils.KafkaTestUtils;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The worker on a real Kafka broker and a MongoDB-wire server: messages go in as plain
 * JSON, as any producer would write them, and the outcome is read from the topic and the
 * database.
 */
@SpringBootTest(properties = { VideoStreamApplication.CONFIG_NAME,
		"spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}", "video.stream.transcode-time=1s" })
@EmbeddedKafka
class StreamIntegrationTests {

	static final JsonMapper json = JsonMapper.builder().build();

	@DynamicPropertySource
	static void mongo(DynamicPropertyRegistry registry) {
		registry.add("spring.mongodb.uri", MongoWireServer.shared()::uri);
	}

	/** Where the application's Kafka is: the embedded broker, or a container's. */
	@Autowired
	KafkaConnectionDetails kafka;

	@Autowired
	MongoDatabaseFactory databases;

	@Test
	void fansAnUploadOutIntoFourRenditionMessagesOnDistinctPartitions() {
		try (Consumer<String, String> consumer = consumer()) {
			consumer.subscribe(List.of(Topics.RENDITIONS));
			String id = insertUploadedVideo();

			send(Topics.VIDEOS, id,
					"{\"id\":\"%s\",\"url\":\"http://api/v1/videos/%s/content\",\"scale\":0}".formatted(id, id));

			List<ConsumerRecord<String, String>> renditions = new ArrayList<>();
			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
				consumer.poll(Duration.ofMillis(100)).forEach(renditions::add);
				assertThat(renditions.stream().filter((record) -> id.equals(record.key()))).hasSize(4);
			});
			assertThat(renditions).filteredOn((record) -> id.equals(record.key()))
				.extracting((record) -> json.readTree(record.value()).get("scale").asInt())
				.containsExactlyInAnyOrder(360, 480, 720, 1080);
			assertThat(renditions).filteredOn((record) -> id.equals(record.key()))
				.extracting((record) -> json.readTree(record.value()).get("url").asString())
				.containsOnly("http://api/v1/videos/" + id + "/content");
			assertThat(renditions).filteredOn((record) -> id.equals(record.key()))
				.extracting(ConsumerRecord::partition)
				.doesNotHaveDuplicates();
		}
	}

	@Test
	void takesAnUploadThroughEncodingToSuccessWithFourVariants() {
		String id = insertUploadedVideo();
		String url = "http://api/v1/videos/" + id + "/content";

		send(Topics.VIDEOS, id, "{\"id\":\"%s\",\"url\":\"%s\",\"scale\":0}".formatted(id, url));

		await().atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(50))
			.untilAsserted(() -> assertThat(video(id).getString("status")).isEqualTo("encoding"));
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(video(id).getString("status")).isEqualTo("success"));
		assertThat(variants(id))
			.containsExactlyInAnyOrderEntriesOf(Map.of("360", url, "480", url, "720", url, "1080", url));
	}

	@Test
	void recordsARenditionAsAVariantUnderItsScale() {
		String id = insertUploadedVideo();

		send(Topics.RENDITIONS, id, "{\"id\":\"%s\",\"url\":\"http://api/x\",\"scale\":480}".formatted(id));

		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(variants(id)).containsExactlyEntriesOf(Map.of("480", "http://api/x")));
		assertThat(video(id).getString("status")).as("three renditions still missing").isEqualTo("uploaded");
	}

	private String insertUploadedVideo() {
		ObjectId id = new ObjectId();
		Instant now = Instant.now();
		videos().insertOne(new Document("_id", id).append("size", 10L)
			.append("url", "http://api/v1/videos/" + id.toHexString() + "/content")
			.append("status", "uploaded")
			.append("variants", new Document())
			.append("created_at", now)
			.append("updated_at", now));
		return id.toHexString();
	}

	private Document video(String id) {
		return videos().find(new Document("_id", new ObjectId(id))).first();
	}

	private Map<String, Object> variants(String id) {
		return video(id).get("variants", Document.class);
	}

	private MongoCollection<Document> videos() {
		return this.databases.getMongoDatabase().getCollection("videos");
	}

	private void send(String topic, String key, String value) {
		try (Producer<String, String> producer = new DefaultKafkaProducerFactory<>(
				KafkaTestUtils.producerProps(brokers()), new StringSerializer(), new StringSerializer())
			.createProducer()) {
			producer.send(new ProducerRecord<>(topic, key, value));
		}
	}

	private Consumer<String, String> consumer() {
		Map<String, Object> properties = KafkaTestUtils.consumerProps(brokers(), "stream-test-" + new ObjectId(),
				false);
		return new DefaultKafkaConsumerFactory<>(properties, new StringDeserializer(), new StringDeserializer())
			.createConsumer();
	}

	String brokers() {
		return String.join(",", this.kafka.getBootstrapServers());
	}

}
