package dev.labkafka.stream.rendition;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.mongodb.client.MongoCollection;
import dev.labkafka.messages.Topics;
import dev.labkafka.messages.VideoMessage;
import dev.labkafka.stream.VideoStreamApplication;
import dev.labkafka.testsupport.MongoWireServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
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
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.kafka.test.utils.KafkaTestUtils;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

/**
 * The worker's promises when things go wrong, on a real Kafka broker and a MongoDB-wire
 * server: poison messages go to dead-letter topics, repeated messages do no work twice,
 * an aborted fan-out leaves nothing behind, and exhausted retries mark the video failed.
 */
@SpringBootTest(properties = { VideoStreamApplication.CONFIG_NAME,
		"spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}", "video.stream.transcode-time=200ms",
		"video.stream.retry.initial-interval=50ms", "video.stream.retry.max-interval=100ms",
		"video.stream.retry.max-retries=2" })
@EmbeddedKafka
class ReliabilityIntegrationTests {

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

	@MockitoSpyBean
	Transcoder transcoder;

	@MockitoSpyBean
	KafkaTemplate<?, ?> template;

	@Test
	void sendsMalformedJsonToTheDeadLetterTopicAtOnceAndGoesOn() {
		String id = insertUploadedVideo();
		send(Topics.VIDEOS, id, "{this is not json");
		send(Topics.VIDEOS, id, upload(id));

		ConsumerRecord<String, String> dead = awaitRecord(Topics.deadLetters(Topics.VIDEOS), "{this is not json");
		assertThat(header(dead, "kafka_dlt-exception-fqcn")).contains("DeserializationException");
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(status(id)).isEqualTo("success"));
	}

	@Test
	void sendsInvalidMessagesToTheDeadLetterTopicsWithTheReason() {
		String id = insertUploadedVideo();
		String badId = "{\"id\":\"../../etc/passwd\",\"url\":\"http://api/x\",\"scale\":0}";
		String renditionOnUploads = "{\"id\":\"%s\",\"url\":\"http://api/x\",\"scale\":480}".formatted(id);
		String badScale = "{\"id\":\"%s\",\"url\":\"http://api/x\",\"scale\":123}".formatted(id);
		send(Topics.VIDEOS, id, badId);
		send(Topics.VIDEOS, id, renditionOnUploads);
		send(Topics.RENDITIONS, id, badScale);

		assertThat(header(awaitRecord(Topics.deadLetters(Topics.VIDEOS), badId), "kafka_dlt-exception-message"))
			.contains("is not a video id");
		assertThat(header(awaitRecord(Topics.deadLetters(Topics.VIDEOS), renditionOnUploads),
				"kafka_dlt-exception-message"))
			.contains("only 0 belongs there");
		assertThat(header(awaitRecord(Topics.deadLetters(Topics.RENDITIONS), badScale), "kafka_dlt-exception-message"))
			.contains("is not one of the renditions");
		assertThat(status(id)).as("an invalid message says nothing about the video").isEqualTo("uploaded");
	}

	@Test
	void fansARepeatedAnnouncementOutOnlyOnce() {
		String id = insertUploadedVideo();
		send(Topics.VIDEOS, id, upload(id));
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(status(id)).isEqualTo("success"));

		RecordMetadata repeated = send(Topics.VIDEOS, id, upload(id));
		awaitConsumed(FanOut.GROUP, repeated);

		assertThat(renditionsOf(id, "read_committed")).hasSize(4);
	}

	@Test
	void doesNotMakeARedeliveredRenditionAgain() throws Exception {
		String id = insertUploadedVideo();
		videos().updateOne(new Document("_id", new ObjectId(id)),
				new Document("$set", new Document("variants.480", "http://api/x")));

		RecordMetadata redelivered = send(Topics.RENDITIONS, id, rendition(id, 480));
		awaitConsumed(Renditions.GROUP, redelivered);

		verify(this.transcoder, never()).transcode(argThat((message) -> message.id().equals(id)));
	}

	@Test
	void dropsARenditionOfADeletedVideo() throws Exception {
		String id = new ObjectId().toHexString();

		RecordMetadata orphan = send(Topics.RENDITIONS, id, rendition(id, 720));
		awaitConsumed(Renditions.GROUP, orphan);

		verify(this.transcoder, never()).transcode(argThat((message) -> message.id().equals(id)));
		assertThat(videos().countDocuments(new Document("_id", new ObjectId(id)))).isZero();
	}

	@Test
	void marksTheVideoFailedWithTheErrorWhenRetriesRunOut() throws Exception {
		String id = insertUploadedVideo();
		willThrow(new IllegalStateException("disk full")).given(this.transcoder)
			.transcode(argThat((message) -> message.id().equals(id)));

		send(Topics.RENDITIONS, id, rendition(id, 1080));

		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(status(id)).isEqualTo("failed"));
		assertThat(video(id).getString("error")).contains("rendition 1080").contains("disk full");
		assertThat(header(awaitRecord(Topics.deadLetters(Topics.RENDITIONS), rendition(id, 1080)),
				"kafka_dlt-exception-message"))
			.contains("disk full");
	}

	@Test
	void anAbortedFanOutLeavesNoRenditionBehind() {
		String id = insertUploadedVideo();
		AtomicInteger sends = new AtomicInteger();
		willAnswer((invocation) -> {
			if (sends.incrementAndGet() == 3) {
				// The first two reach the broker, inside the transaction that is about to
				// abort.
				renditionsTemplate().flush();
				throw new KafkaException("the worker dies half-way through its fan-out");
			}
			return invocation.callRealMethod();
		}).given(renditionsTemplate()).send(eq(Topics.RENDITIONS), anyInt(), eq(id), any(VideoMessage.class));

		send(Topics.VIDEOS, id, upload(id));

		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(status(id)).isEqualTo("success"));
		assertThat(sends).as("two sent, the third failed, then four").hasValue(7);
		assertThat(renditionsOf(id, "read_uncommitted")).as("the aborted attempt did write two").hasSize(6);
		assertThat(renditionsOf(id, "read_committed")).extracting((record) -> scale(record.value()))
			.containsExactlyInAnyOrder(360, 480, 720, 1080);
	}

	@SuppressWarnings("unchecked")
	private KafkaTemplate<String, VideoMessage> renditionsTemplate() {
		return (KafkaTemplate<String, VideoMessage>) this.template;
	}

	private static String upload(String id) {
		return "{\"id\":\"%s\",\"url\":\"http://api/v1/videos/%s/content\",\"scale\":0}".formatted(id, id);
	}

	private static String rendition(String id, int scale) {
		return "{\"id\":\"%s\",\"url\":\"http://api/v1/videos/%s/content\",\"scale\":%d}".formatted(id, id, scale);
	}

	private static int scale(String value) {
		return json.readTree(value).get("scale").asInt();
	}

	private static String header(ConsumerRecord<?, ?> record, String name) {
		return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
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

	private String status(String id) {
		return video(id).getString("status");
	}

	private Document video(String id) {
		return videos().find(new Document("_id", new ObjectId(id))).first();
	}

	private MongoCollection<Document> videos() {
		return this.databases.getMongoDatabase().getCollection("videos");
	}

	private RecordMetadata send(String topic, String key, String value) {
		try (Producer<String, String> producer = new DefaultKafkaProducerFactory<>(
				KafkaTestUtils.producerProps(brokers()), new StringSerializer(), new StringSerializer())
			.createProducer()) {
			return producer.send(new ProducerRecord<>(topic, key, value)).get();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Waits until the group has committed an offset past {@code record}. */
	private void awaitConsumed(String group, RecordMetadata record) {
		TopicPartition partition = new TopicPartition(record.topic(), record.partition());
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers()))) {
			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
				Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
					.partitionsToOffsetAndMetadata()
					.get();
				assertThat(offsets.get(partition)).isNotNull();
				assertThat(offsets.get(partition).offset()).isGreaterThan(record.offset());
			});
		}
	}

	private ConsumerRecord<String, String> awaitRecord(String topic, String value) {
		try (Consumer<String, String> consumer = consumer("read_committed")) {
			consumer.subscribe(List.of(topic));
			List<ConsumerRecord<String, String>> seen = new ArrayList<>();
			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
				consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
				assertThat(seen).extracting(ConsumerRecord::value).contains(value);
			});
			return seen.stream().filter((record) -> value.equals(record.value())).findFirst().orElseThrow();
		}
	}

	/** Every rendition message of the video, read to the end of the topic. */
	private List<ConsumerRecord<String, String>> renditionsOf(String id, String isolation) {
		try (Consumer<String, String> consumer = consumer(isolation)) {
			consumer.subscribe(List.of(Topics.RENDITIONS));
			List<ConsumerRecord<String, String>> all = new ArrayList<>();
			await().atMost(Duration.ofSeconds(20)).until(() -> {
				consumer.poll(Duration.ofMillis(200)).forEach(all::add);
				return !consumer.assignment().isEmpty() && consumer.assignment()
					.stream()
					.allMatch((partition) -> consumer.position(partition) >= consumer.endOffsets(List.of(partition))
						.get(partition));
			});
			return all.stream().filter((record) -> id.equals(record.key())).toList();
		}
	}

	private Consumer<String, String> consumer(String isolation) {
		Map<String, Object> properties = KafkaTestUtils.consumerProps(brokers(), "reliability-test-" + new ObjectId(),
				false);
		properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
		return new DefaultKafkaConsumerFactory<>(properties, new StringDeserializer(), new StringDeserializer())
			.createConsumer();
	}

	String brokers() {
		return String.join(",", this.kafka.getBootstrapServers());
	}

}
