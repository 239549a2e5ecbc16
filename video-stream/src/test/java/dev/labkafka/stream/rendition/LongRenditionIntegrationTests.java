package dev.labkafka.stream.rendition;

import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.labkafka.messages.Topics;
import dev.labkafka.stream.VideoStreamApplication;
import dev.labkafka.testsupport.EmbeddedInfrastructure;
import dev.labkafka.testsupport.MongoWireServer;
import dev.labkafka.testsupport.StoredVideos;
import dev.labkafka.testsupport.TestKafka;
import dev.labkafka.videos.VideoFields;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/**
 * Renditions that take long, on a real broker: one that takes longer than Kafka lets
 * other consumers go between polls, and longer than the fan-out's transaction timeout, is
 * made once; and a worker joining the group while one runs holds no other rendition up.
 * They take 40 and 30 s, so they have a class of their own (left out of mutation
 * testing).
 */
@SpringBootTest(properties = { VideoStreamApplication.CONFIG_NAME,
		// Consumers must poll every 20 s, except the rendition consumers, which may hold
		// a
		// record for the longest transcode (and a minute more).
		"spring.kafka.consumer.properties.max.poll.interval.ms=20000", "video.stream.transcode-timeout=60s" })
@EmbeddedInfrastructure
class LongRenditionIntegrationTests {

	@Autowired
	KafkaConnectionDetails kafkaConnection;

	@Autowired
	MongoDatabaseFactory databases;

	@Autowired
	KafkaListenerEndpointRegistry listeners;

	@MockitoSpyBean
	Transcoder transcoder;

	@Test
	void makesARenditionLongerThanTheConsumersPollLimitAndAnyTransactionTimeoutOnce() throws Exception {
		TestKafka kafka = kafka();
		StoredVideos videos = new StoredVideos(this.databases.getMongoDatabase());
		String id = videos.insertUploaded();
		Duration transcode = Duration.ofSeconds(40);
		willAnswer((invocation) -> {
			Thread.sleep(transcode.toMillis());
			return invocation.callRealMethod();
		}).given(this.transcoder).transcode(argThat((message) -> message.id().equals(id)));
		long started = System.nanoTime();

		RecordMetadata slow = kafka.send(Topics.RENDITIONS, id,
				"{\"id\":\"%s\",\"url\":\"http://api/v1/videos/%s/content\",\"scale\":1080}".formatted(id, id));

		await().atMost(Duration.ofSeconds(90))
			.untilAsserted(
					() -> assertThat(videos.find(id).get(VideoFields.VARIANTS, Document.class)).containsKey("1080"));
		kafka.awaitConsumed(Topics.RENDITIONS_GROUP, slow);
		assertThat(Duration.ofNanos(System.nanoTime() - started))
			.as("longer than transaction.timeout.ms (30 s) and than other consumers may go between polls (20 s)")
			.isGreaterThan(Duration.ofSeconds(30));
		verify(this.transcoder, times(1)).transcode(argThat((message) -> message.id().equals(id)));
	}

	@Test
	void aWorkerJoiningWhileALongRenditionRunsHoldsNoOtherRenditionUp() throws Exception {
		TestKafka kafka = kafka();
		StoredVideos videos = new StoredVideos(this.databases.getMongoDatabase());
		String slow = videos.insertUploaded();
		String quick = videos.insertUploaded();
		CountDownLatch slowStarted = new CountDownLatch(1);
		awaitEveryRenditionConsumerAssigned();
		willAnswer((invocation) -> {
			slowStarted.countDown();
			Thread.sleep(Duration.ofSeconds(30).toMillis());
			return invocation.callRealMethod();
		}).given(this.transcoder).transcode(argThat((message) -> message.id().equals(slow)));
		RecordMetadata slowRecord = kafka.send(Topics.RENDITIONS, slow, rendition(slow, 720));
		assertThat(slowStarted.await(20, TimeUnit.SECONDS)).isTrue();
		// A partition of another consumer than the busy one: the busy one holds its own
		// partitions until its rendition ends, whoever joins.
		int elsewhere = partitionOfAnotherConsumerThan(new TopicPartition(Topics.RENDITIONS, slowRecord.partition()));

		// A second worker joins the group: its consumers take over some partitions.
		try (ConfigurableApplicationContext second = VideoStreamApplication.application()
			.run("--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
					"--spring.mongodb.uri=" + MongoWireServer.shared().uri(), "--server.port=0",
					"--video.stream.transcode-time=200ms")) {
			long sent = System.nanoTime();
			kafka.sendTo(Topics.RENDITIONS, elsewhere, quick, rendition(quick, 360));

			await().atMost(Duration.ofSeconds(60))
				.untilAsserted(() -> assertThat(videos.find(quick).get(VideoFields.VARIANTS, Document.class))
					.containsKey("360"));
			assertThat(Duration.ofNanos(System.nanoTime() - sent))
				.as("made while the 30 s rendition still runs: the others' partitions were never taken back")
				.isLessThan(Duration.ofSeconds(15));
		}
	}

	/**
	 * Waits until the group has settled on this worker's consumers: every one holds
	 * partitions. A consumer that joins while another holds a long rendition gets none
	 * until that rendition ends (the group's rebalance waits for every member to poll),
	 * which is the test's subject only for a worker that joins later.
	 */
	private void awaitEveryRenditionConsumerAssigned() {
		ConcurrentMessageListenerContainer<?, ?> renditions = renditionConsumers();
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
			Collection<Collection<TopicPartition>> assignments = renditions.getAssignmentsByClientId().values();
			assertThat(assignments).hasSize(renditions.getConcurrency())
				.allSatisfy((partitions) -> assertThat(partitions).isNotEmpty());
			assertThat(assignments.stream().mapToInt(Collection::size).sum()).isEqualTo(Topics.RENDITIONS_PARTITIONS);
		});
	}

	private int partitionOfAnotherConsumerThan(TopicPartition busy) {
		ConcurrentMessageListenerContainer<?, ?> renditions = renditionConsumers();
		return await().atMost(Duration.ofSeconds(30))
			.until(() -> renditions.getAssignmentsByClientId()
				.values()
				.stream()
				.filter((partitions) -> partitions != null && !partitions.contains(busy))
				.flatMap(Collection::stream)
				.findFirst(), Optional::isPresent)
			.orElseThrow()
			.partition();
	}

	private ConcurrentMessageListenerContainer<?, ?> renditionConsumers() {
		return (ConcurrentMessageListenerContainer<?, ?>) this.listeners.getListenerContainer("renditions");
	}

	private TestKafka kafka() {
		return new TestKafka(String.join(",", this.kafkaConnection.getBootstrapServers()));
	}

	private static String rendition(String id, int scale) {
		return "{\"id\":\"%s\",\"url\":\"http://api/v1/videos/%s/content\",\"scale\":%d}".formatted(id, id, scale);
	}

}
