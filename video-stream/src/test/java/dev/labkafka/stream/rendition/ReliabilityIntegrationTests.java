package dev.labkafka.stream.rendition;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.labkafka.messages.Topics;
import dev.labkafka.messages.VideoMessage;
import dev.labkafka.stream.VideoStreamApplication;
import dev.labkafka.testsupport.EmbeddedInfrastructure;
import dev.labkafka.testsupport.StoredVideos;
import dev.labkafka.testsupport.TestKafka;
import dev.labkafka.videos.QueuedRecord;
import dev.labkafka.videos.VideoFields;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.kafka.core.KafkaTemplate;
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
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/**
 * The worker's promises when things go wrong, on a real Kafka broker and a MongoDB-wire
 * server: poison messages go to dead-letter topics, repeated messages do no work twice,
 * an aborted fan-out leaves nothing behind, a failing rendition holds no other up and
 * ends in the video being marked failed, and a rendition may take longer than any Kafka
 * transaction.
 */
@SpringBootTest(properties = { VideoStreamApplication.CONFIG_NAME, "video.stream.transcode-time=200ms",
		"video.stream.retry.initial-interval=1s", "video.stream.retry.max-interval=1s",
		"video.stream.retry.max-retries=1",
		// Consumers must poll every 20 s, except the rendition consumers, which may hold
		// a
		// record for the longest transcode (and a minute more).
		"spring.kafka.consumer.properties.max.poll.interval.ms=20000", "video.stream.transcode-timeout=60s" })
@EmbeddedInfrastructure
class ReliabilityIntegrationTests {

	static final JsonMapper json = JsonMapper.builder().build();

	/** Where the application's Kafka is: the embedded broker, or a container's. */
	@Autowired
	KafkaConnectionDetails kafkaConnection;

	@Autowired
	MongoDatabaseFactory databases;

	@Autowired
	MeterRegistry meters;

	@MockitoSpyBean
	Transcoder transcoder;

	@MockitoSpyBean
	KafkaTemplate<?, ?> template;

	TestKafka kafka;

	StoredVideos videos;

	@BeforeEach
	void clients() {
		this.kafka = new TestKafka(String.join(",", this.kafkaConnection.getBootstrapServers()));
		this.videos = new StoredVideos(this.databases.getMongoDatabase());
	}

	@Test
	void sendsMalformedJsonToTheDeadLetterTopicAtOnceAndGoesOn() {
		String id = this.videos.insertUploaded();
		this.kafka.send(Topics.VIDEOS, id, "{this is not json");
		this.kafka.send(Topics.VIDEOS, id, upload(id));

		ConsumerRecord<String, String> dead = awaitDeadLetter(Topics.VIDEOS, "{this is not json");
		assertThat(header(dead, "kafka_exception-fqcn")).contains("DeserializationException");
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(this.videos.status(id)).isEqualTo("success"));
	}

	@Test
	void sendsMalformedJsonOnTheRenditionsTopicToItsDeadLettersAndCountsIt() {
		double before = deadLetters(Topics.RENDITIONS);

		this.kafka.send(Topics.RENDITIONS, "poison", "{not json either");

		ConsumerRecord<String, String> dead = awaitDeadLetter(Topics.RENDITIONS, "{not json either");
		assertThat(header(dead, "kafka_exception-fqcn")).contains("DeserializationException");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(deadLetters(Topics.RENDITIONS)).isEqualTo(before + 1));
	}

	@Test
	void sendsInvalidMessagesToTheDeadLetterTopicsWithTheReason() {
		String id = this.videos.insertUploaded();
		String badId = "{\"id\":\"../../etc/passwd\",\"url\":\"http://api/x\",\"scale\":0}";
		String renditionOnUploads = "{\"id\":\"%s\",\"url\":\"http://api/x\",\"scale\":480}".formatted(id);
		String badScale = "{\"id\":\"%s\",\"url\":\"http://api/x\",\"scale\":123}".formatted(id);
		this.kafka.send(Topics.VIDEOS, id, badId);
		this.kafka.send(Topics.VIDEOS, id, renditionOnUploads);
		this.kafka.send(Topics.RENDITIONS, id, badScale);

		assertThat(header(awaitDeadLetter(Topics.VIDEOS, badId), "kafka_exception-message"))
			.contains("is not a video id");
		assertThat(header(awaitDeadLetter(Topics.VIDEOS, renditionOnUploads), "kafka_exception-message"))
			.contains("only 0 belongs there");
		ConsumerRecord<String, String> deadScale = awaitDeadLetter(Topics.RENDITIONS, badScale);
		assertThat(header(deadScale, "kafka_exception-message")).contains("is not one of the renditions");
		assertThat(this.kafka.recordsWithKey(Topics.RENDITIONS + "-retry", id, "read_uncommitted"))
			.as("sent to the dead letters at once, not through the retry topic")
			.extracting(ConsumerRecord::value)
			.doesNotContain(badScale);
		assertThat(this.videos.status(id)).as("an invalid message says nothing about the video").isEqualTo("uploaded");
	}

	@Test
	void fansARepeatedAnnouncementOutOnlyOnce() {
		String id = this.videos.insertUploaded();
		this.kafka.send(Topics.VIDEOS, id, upload(id));
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(this.videos.status(id)).isEqualTo("success"));

		RecordMetadata repeated = this.kafka.send(Topics.VIDEOS, id, upload(id));
		this.kafka.awaitConsumed(Topics.FAN_OUT_GROUP, repeated);

		assertThat(this.kafka.recordsWithKey(Topics.RENDITIONS, id, "read_committed")).hasSize(4);
	}

	@Test
	void ignoresARepeatedAnnouncementWhileTheVideoIsEncoding() {
		String id = this.videos.insertUploaded();
		// Fanned out by another record; two renditions done, two still queued. That
		// record is one the repeated announcement cannot be (no such partition): were it
		// the same, the fan-out would rightly take the repeat for its own redelivery.
		this.videos.set(id, new Document(VideoFields.STATUS, "encoding").append(VideoFields.FAN_OUT, "videos-99@1")
			.append(VideoFields.VARIANTS, new Document("360", "http://api/x").append("480", "http://api/x")));

		RecordMetadata repeated = this.kafka.send(Topics.VIDEOS, id, upload(id));
		this.kafka.awaitConsumed(Topics.FAN_OUT_GROUP, repeated);

		assertThat(this.kafka.recordsWithKey(Topics.RENDITIONS, id, "read_committed"))
			.as("the renditions still queued are not sent again")
			.isEmpty();
		assertThat(this.videos.find(id).getString(VideoFields.FAN_OUT)).isEqualTo("videos-99@1");
	}

	@Test
	void fansOutAgainAVideoTheApiSentThroughAgain() {
		String id = this.videos.insertUploaded();
		// Fanned out once by another record, then put back to uploaded by the API (a
		// retry or a re-drive), which leaves the worker's own fields alone.
		this.videos.set(id, new Document(VideoFields.FAN_OUT, "videos-0@1").append(VideoFields.VARIANTS,
				new Document("360", "http://api/x").append("480", "http://api/x")));

		this.kafka.send(Topics.VIDEOS, id, upload(id));

		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(this.videos.status(id)).isEqualTo("success"));
		assertThat(this.kafka.recordsWithKey(Topics.RENDITIONS, id, "read_committed"))
			.extracting((record) -> scale(record.value()))
			.as("only what was missing")
			.containsExactlyInAnyOrder(720, 1080);
	}

	@Test
	void keepsWhereTheFanOutPutEachRenditionMessage() {
		String id = this.videos.insertUploaded();

		this.kafka.send(Topics.VIDEOS, id, upload(id));

		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(this.videos.find(id)).containsKey(VideoFields.RENDITIONS_QUEUED));
		List<ConsumerRecord<String, String>> sent = this.kafka.recordsWithKey(Topics.RENDITIONS, id, "read_committed");
		Document queued = this.videos.find(id).get(VideoFields.RENDITIONS_QUEUED, Document.class);
		assertThat(queued.entrySet()).extracting((entry) -> entry.getKey() + ":" + place((Document) entry.getValue()))
			.containsExactlyInAnyOrderElementsOf(sent.stream()
				.map((record) -> scale(record.value()) + ":" + record.topic() + "-" + record.partition() + "@"
						+ record.offset())
				.toList());
	}

	@Test
	void followsAFailingRenditionToItsRetryAndDeadLetterTopics() throws Exception {
		String id = this.videos.insertUploaded();
		willThrow(new IllegalStateException("the encoder crashed")).given(this.transcoder)
			.transcode(argThat((message) -> message.id().equals(id)));

		this.kafka.send(Topics.RENDITIONS, id, rendition(id, 480));

		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(this.videos.status(id)).isEqualTo("failed"));
		ConsumerRecord<String, String> deadLetter = awaitDeadLetter(Topics.RENDITIONS, rendition(id, 480));
		Document queued = this.videos.find(id).get(VideoFields.RENDITIONS_QUEUED, Document.class);
		assertThat(place((Document) queued.get("480"))).as("the last place of the message: the dead letter")
			.isEqualTo(deadLetter.topic() + "-" + deadLetter.partition() + "@" + deadLetter.offset());
	}

	@Test
	void doesNotMakeARedeliveredRenditionAgain() throws Exception {
		String id = this.videos.insertUploaded();
		this.videos.set(id, new Document("variants.480", "http://api/x"));

		RecordMetadata redelivered = this.kafka.send(Topics.RENDITIONS, id, rendition(id, 480));
		this.kafka.awaitConsumed(Topics.RENDITIONS_GROUP, redelivered);

		verify(this.transcoder, never()).transcode(argThat((message) -> message.id().equals(id)));
	}

	@Test
	void dropsARenditionOfADeletedVideo() throws Exception {
		String id = new org.bson.types.ObjectId().toHexString();

		RecordMetadata orphan = this.kafka.send(Topics.RENDITIONS, id, rendition(id, 720));
		this.kafka.awaitConsumed(Topics.RENDITIONS_GROUP, orphan);

		verify(this.transcoder, never()).transcode(argThat((message) -> message.id().equals(id)));
		assertThat(this.videos.find(id)).isNull();
	}

	@Test
	void marksTheVideoFailedWithTheErrorWhenRetriesRunOut() throws Exception {
		String id = this.videos.insertUploaded();
		willThrow(new IllegalStateException("disk full")).given(this.transcoder)
			.transcode(argThat((message) -> message.id().equals(id)));

		this.kafka.send(Topics.RENDITIONS, id, rendition(id, 1080));

		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(this.videos.status(id)).isEqualTo("failed"));
		assertThat(this.videos.find(id).getString("error")).contains("rendition 1080").contains("disk full");
		assertThat(header(awaitDeadLetter(Topics.RENDITIONS, rendition(id, 1080)), "kafka_exception-message"))
			.contains("disk full");
		verify(this.transcoder, times(2)).transcode(argThat((message) -> message.id().equals(id)));
	}

	@Test
	void aFailingRenditionDoesNotHoldUpTheRenditionsBehindIt() throws Exception {
		String failing = this.videos.insertUploaded();
		String behind = this.videos.insertUploaded();
		List<String> attempts = Collections.synchronizedList(new ArrayList<>());
		willAnswer((invocation) -> {
			VideoMessage message = invocation.getArgument(0);
			attempts.add(message.id());
			if (message.id().equals(failing)) {
				throw new IllegalStateException("the encoder crashed");
			}
			return invocation.callRealMethod();
		}).given(this.transcoder)
			.transcode(argThat((message) -> message.id().equals(failing) || message.id().equals(behind)));

		// Both on one partition, so one consumer: the second waits behind the first.
		this.kafka.sendTo(Topics.RENDITIONS, 5, failing, rendition(failing, 720));
		this.kafka.sendTo(Topics.RENDITIONS, 5, behind, rendition(behind, 720));

		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(this.videos.status(failing)).isEqualTo("failed"));
		assertThat(this.videos.find(behind).get(VideoFields.VARIANTS, Document.class)).containsKey("720");
		assertThat(attempts).as("the rendition behind was made before the failing one was tried again")
			.containsExactly(failing, behind, failing);
	}

	@Test
	void anAbortedFanOutLeavesNoRenditionBehind() {
		String id = this.videos.insertUploaded();
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

		this.kafka.send(Topics.VIDEOS, id, upload(id));

		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(this.videos.status(id)).isEqualTo("success"));
		assertThat(sends).as("two sent, the third failed, then four").hasValue(7);
		assertThat(this.kafka.recordsWithKey(Topics.RENDITIONS, id, "read_uncommitted"))
			.as("the aborted attempt did write two")
			.hasSize(6);
		assertThat(this.kafka.recordsWithKey(Topics.RENDITIONS, id, "read_committed"))
			.extracting((record) -> scale(record.value()))
			.containsExactlyInAnyOrder(360, 480, 720, 1080);
		// The fan-out tells the API in its transaction: the aborted attempt's "encoding"
		// was written, and aborted with it.
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(
					() -> assertThat(statusChanges(id, "read_committed")).as("encoding, then success").isEqualTo(2));
		assertThat(statusChanges(id, "read_uncommitted")).as("the aborted attempt's encoding too").isEqualTo(3);
	}

	private long statusChanges(String id, String isolation) {
		return this.kafka.recordsWithKey(Topics.PROGRESS, id, isolation)
			.stream()
			.filter((record) -> record.value().contains("\"change\":\"status\""))
			.count();
	}

	@SuppressWarnings("unchecked")
	private KafkaTemplate<String, VideoMessage> renditionsTemplate() {
		return (KafkaTemplate<String, VideoMessage>) this.template;
	}

	private ConsumerRecord<String, String> awaitDeadLetter(String topic, String value) {
		return this.kafka.awaitRecord(Topics.deadLetters(topic), (record) -> value.equals(record.value()));
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

	private double deadLetters(String topic) {
		var counter = this.meters.find("videos.dead.letters").tag("topic", topic).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static String place(Document record) {
		return record.getString(QueuedRecord.TOPIC) + "-" + record.getInteger(QueuedRecord.PARTITION) + "@"
				+ record.get(QueuedRecord.OFFSET, Number.class).longValue();
	}

	private static String header(ConsumerRecord<?, ?> record, String name) {
		return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
	}

}
