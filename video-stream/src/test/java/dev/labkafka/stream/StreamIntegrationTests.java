package dev.labkafka.stream;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.mongodb.client.gridfs.GridFSBuckets;
import dev.labkafka.messages.Topics;
import dev.labkafka.stream.media.WorkFiles;
import dev.labkafka.testsupport.EmbeddedInfrastructure;
import dev.labkafka.testsupport.SampleVideos;
import dev.labkafka.testsupport.StoredVideos;
import dev.labkafka.testsupport.TestClips;
import dev.labkafka.testsupport.TestKafka;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.BsonObjectId;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.mongodb.MongoDatabaseFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The worker on a real Kafka broker and a MongoDB-wire server: messages go in as plain
 * JSON, as any producer would write them, and the outcome is read from the topic and the
 * database.
 */
@SpringBootTest(properties = { VideoStreamApplication.CONFIG_NAME, "video.stream.transcode-time=1s" })
@EmbeddedInfrastructure
class StreamIntegrationTests {

	static final JsonMapper json = JsonMapper.builder().build();

	/** The collection of the rendition turns that every worker's fan-outs share. */
	static final String RENDITION_TURNS = "rendition_turns";

	/** Where the application's Kafka is: the embedded broker, or a container's. */
	@Autowired
	KafkaConnectionDetails kafkaConnection;

	@Autowired
	MongoDatabaseFactory databases;

	@Autowired
	WorkFiles work;

	@Autowired
	MeterRegistry meters;

	TestKafka kafka;

	StoredVideos videos;

	@BeforeEach
	void clients() {
		this.kafka = new TestKafka(String.join(",", this.kafkaConnection.getBootstrapServers()));
		this.videos = new StoredVideos(this.databases.getMongoDatabase());
	}

	@Test
	void fansAnUploadOutIntoFourRenditionMessagesOnDistinctPartitions() {
		try (Consumer<String, String> consumer = this.kafka.subscribed(Topics.RENDITIONS)) {
			String id = this.videos.insertUploaded();
			long turns = renditionTurnsTaken();

			this.kafka.send(Topics.VIDEOS, id,
					"{\"id\":\"%s\",\"url\":\"http://api/v1/videos/%s/content\",\"scale\":0}".formatted(id, id));

			List<ConsumerRecord<String, String>> renditions = TestKafka.awaitRecords(consumer,
					(record) -> id.equals(record.key()), 4);
			assertThat(renditions).hasSize(4);
			assertThat(renditions).extracting((record) -> json.readTree(record.value()).get("scale").asInt())
				.containsExactlyInAnyOrder(360, 480, 720, 1080);
			assertThat(renditions).extracting((record) -> json.readTree(record.value()).get("url").asString())
				.containsOnly("http://api/v1/videos/" + id + "/content");
			assertThat(renditions).extracting(ConsumerRecord::partition).doesNotHaveDuplicates();
			assertThat(renditionTurnsTaken()).as("turns of the sequence every worker shares")
				.isGreaterThanOrEqualTo(turns + 4);
		}
	}

	private long renditionTurnsTaken() {
		Document turns = this.databases.getMongoDatabase().getCollection(RENDITION_TURNS).find().first();
		return (turns != null) ? turns.get("next", Number.class).longValue() : 0;
	}

	@Test
	void takesAnUploadThroughEncodingToSuccessWithFourVariants() {
		String id = this.videos.insertUploaded();
		String url = "http://api/v1/videos/" + id + "/content";

		this.kafka.send(Topics.VIDEOS, id, "{\"id\":\"%s\",\"url\":\"%s\",\"scale\":0}".formatted(id, url));

		await().atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(50))
			.untilAsserted(() -> assertThat(this.videos.status(id)).isEqualTo("encoding"));
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(this.videos.status(id)).isEqualTo("success"));
		assertThat(variants(id))
			.containsExactlyInAnyOrderEntriesOf(Map.of("360", url, "480", url, "720", url, "1080", url));
	}

	@Test
	void leavesTheRenditionsGroupWithoutLagOnceEverythingIsDone() {
		// A fan-out commits its transaction with a marker after the rendition messages on
		// each partition: a consumer past the last message is still one offset short of
		// the end until it commits its position past the marker. A lag that never falls
		// to zero would keep a lag-driven autoscaler (KEDA) from scaling the workers in.
		String id = this.videos.insertUploaded();

		this.kafka.send(Topics.VIDEOS, id,
				"{\"id\":\"%s\",\"url\":\"http://api/v1/videos/%s/content\",\"scale\":0}".formatted(id, id));

		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(this.videos.status(id)).isEqualTo("success"));
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.kafka.lag(Topics.RENDITIONS_GROUP, Topics.RENDITIONS).values())
				.containsOnly(0L));
	}

	@Test
	void tellsTheApiOfEveryChangeOnTheProgressTopic() {
		try (Consumer<String, String> progress = this.kafka.subscribed(Topics.PROGRESS)) {
			String id = this.videos.insertUploaded();

			this.kafka.send(Topics.VIDEOS, id, "{\"id\":\"%s\",\"url\":\"http://api/x\",\"scale\":0}".formatted(id));

			await().atMost(Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(this.videos.status(id)).isEqualTo("success"));
			List<String> changes = TestKafka
				.awaitRecords(progress, (record) -> id.equals(record.key()) && !record.value().contains("\"media\""), 6)
				.stream()
				.map(ConsumerRecord::value)
				.toList();
			assertThat(changes).as("plain JSON, keyed by the video's id")
				.contains("{\"id\":\"%s\",\"change\":\"rendition\",\"scale\":360}".formatted(id),
						"{\"id\":\"%s\",\"change\":\"rendition\",\"scale\":1080}".formatted(id));
			assertThat(changes.stream().filter((change) -> change.contains("\"change\":\"status\"")))
				.as("encoding, then success")
				.hasSize(2);
		}
	}

	@Test
	void recordsARenditionAsAVariantUnderItsScale() {
		String id = this.videos.insertUploaded();

		this.kafka.send(Topics.RENDITIONS, id, "{\"id\":\"%s\",\"url\":\"http://api/x\",\"scale\":480}".formatted(id));

		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(variants(id)).containsExactlyEntriesOf(Map.of("480", "http://api/x")));
		assertThat(this.videos.status(id)).as("three renditions still missing").isEqualTo("uploaded");
	}

	@Test
	void readsAnOriginalsBytesByItsIdNotByItsUrl() throws Exception {
		String id = this.videos.insertUploaded();
		byte[] original = SampleVideos.mp4();
		GridFSBuckets.create(this.databases.getMongoDatabase())
			.uploadFromStream(new BsonObjectId(new ObjectId(id)), "clip.mp4", new ByteArrayInputStream(original));

		Path copy = this.work.copySource(id).orElseThrow();
		try {
			assertThat(copy).hasBinaryContent(original);
		}
		finally {
			this.work.delete(copy);
		}
		assertThat(this.work.copySource(new ObjectId().toHexString())).as("no bytes for an unknown id").isEmpty();
	}

	@Test
	void withTheMockAnOriginalFfprobeCannotReadFailsWithTheReasonAndStaysFailedAfterARetry() {
		assumeThat(TestClips.ffmpegInstalled()).as("ffprobe installed").isTrue();
		String id = this.videos.insertUploaded();
		storeOriginal(id, notMedia());

		announce(id);

		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(this.videos.status(id)).isEqualTo("failed"));
		assertThat(this.videos.find(id).getString("error")).startsWith("Not a video ffprobe can read: ffprobe failed")
			.doesNotContain("/");
		// The mock's renditions (1 s each here) finish meanwhile: they do not make it a
		// success.
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(variants(id)).hasSize(4));
		assertThat(this.videos.status(id)).isEqualTo("failed");
		String firstFanOut = this.videos.find(id).getString("fan_out");

		// A retry, as the API makes it: uploaded again, and announced again. Nothing is
		// missing, but it is still not media.
		this.videos.set(id, new Document("status", "uploaded"));
		announce(id);

		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(this.videos.find(id).getString("fan_out")).isNotEqualTo(firstFanOut));
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(this.videos.status(id)).isEqualTo("failed"));
	}

	@Test
	void aVideoTheMockFinishedBeforeItsProbeIsFailedWhenItIsNotMedia() {
		assumeThat(TestClips.ffmpegInstalled()).as("ffprobe installed").isTrue();
		String id = this.videos.insertUploaded();
		storeOriginal(id, notMedia());
		this.videos.set(id, new Document("status", "success").append("variants",
				new Document("360", "u").append("480", "u").append("720", "u").append("1080", "u")));

		announce(id);

		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(this.videos.status(id)).isEqualTo("failed"));
	}

	@Test
	void anOriginalWhoseBytesCannotBeReadIsNeverDoneButFailsWithTheReasonOnceItsRetriesRunOut() {
		assumeThat(TestClips.ffmpegInstalled()).as("ffprobe installed").isTrue();
		String id = this.videos.insertUploaded();
		storeOriginal(id, SampleVideos.mp4());
		// A chunk lost: GridFS cannot give the bytes back, however often it is asked.
		this.databases.getMongoDatabase()
			.getCollection("fs.chunks")
			.deleteOne(new Document("files_id", new BsonObjectId(new ObjectId(id))).append("n", 0));
		List<String> statuses = new CopyOnWriteArrayList<>();

		announce(id);

		// The mock's renditions (1 s each here) finish while the probe retries: the video
		// is not done without its probe.
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(variants(id)).hasSize(4));
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
			statuses.add(this.videos.status(id));
			return "failed".equals(statuses.get(statuses.size() - 1));
		});
		assertThat(statuses).doesNotContain("success");
		Document video = this.videos.find(id);
		assertThat(video.getString("error")).startsWith("The original's bytes could not be read: ")
			.contains("chunk")
			.doesNotContain("Exception");
		assertThat(video.getInteger("height")).isZero();
	}

	private static byte[] notMedia() {
		byte[] bytes = new byte[100_000];
		System.arraycopy(SampleVideos.mp4(), 0, bytes, 0, 32);
		return bytes;
	}

	private void storeOriginal(String id, byte[] bytes) {
		GridFSBuckets.create(this.databases.getMongoDatabase())
			.uploadFromStream(new BsonObjectId(new ObjectId(id)), "clip.mp4", new ByteArrayInputStream(bytes));
	}

	private void announce(String id) {
		this.kafka.send(Topics.VIDEOS, id, "{\"id\":\"%s\",\"url\":\"http://api/x\",\"scale\":0}".formatted(id));
	}

	@Test
	void withTheMockEveryUploadIsProbedAsWell() {
		assumeThat(TestClips.ffmpegInstalled()).as("ffprobe installed").isTrue();
		double probed = probes("probed");
		String id = this.videos.insertUploaded();
		GridFSBuckets.create(this.databases.getMongoDatabase())
			.uploadFromStream(new BsonObjectId(new ObjectId(id)), "clip.mp4",
					new ByteArrayInputStream(SampleVideos.mp4()));

		this.kafka.send(Topics.VIDEOS, id, "{\"id\":\"%s\",\"url\":\"http://api/x\",\"scale\":0}".formatted(id));

		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(this.videos.find(id).getBoolean("thumbnail")).isTrue());
		assertThat(this.videos.find(id)).containsEntry("width", 160).containsEntry("height", 120);
		assertThat(this.videos.find(id).getDouble("duration")).isEqualTo(2.0);
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(this.videos.status(id)).isEqualTo("success"));
		assertThat(variants(id)).as("the mock's variants: the url itself").containsValue("http://api/x");
		assertThat(probes("probed")).isEqualTo(probed + 1);
	}

	private double probes(String outcome) {
		var counter = this.meters.find("videos.probes").tag("outcome", outcome).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private Map<String, Object> variants(String id) {
		return this.videos.find(id).get("variants", Document.class);
	}

}
