package dev.labkafka.stream.rendition;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.mongodb.client.gridfs.GridFSBuckets;
import dev.labkafka.stream.media.WorkDirectories;
import dev.labkafka.messages.Topics;
import dev.labkafka.stream.VideoStreamApplication;
import dev.labkafka.testsupport.EmbeddedInfrastructure;
import dev.labkafka.testsupport.StoredVideos;
import dev.labkafka.testsupport.TestClips;
import dev.labkafka.testsupport.TestKafka;
import dev.labkafka.videos.StoredMedia;
import dev.labkafka.videos.VideoFields;
import org.bson.BsonObjectId;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * An ffmpeg that runs out of {@code video.stream.transcode-timeout} is killed: the
 * rendition fails for good with the reason, no process is left, and nothing of the
 * rendition is stored or left on disk. Skipped where ffmpeg is not installed.
 */
@SpringBootTest(properties = { VideoStreamApplication.CONFIG_NAME, "video.stream.transcoder=ffmpeg",
		"video.stream.transcode-timeout=500ms" })
@EmbeddedInfrastructure
class RenditionTimeoutIntegrationTests {

	static Path workDir;

	@Autowired
	KafkaConnectionDetails kafkaConnection;

	@Autowired
	MongoDatabaseFactory databases;

	@BeforeAll
	static void ffmpeg() {
		assumeThat(TestClips.ffmpegInstalled()).as("ffmpeg and ffprobe installed").isTrue();
	}

	@DynamicPropertySource
	static void workDir(DynamicPropertyRegistry properties) throws IOException {
		workDir = Files.createTempDirectory("work");
		properties.add("video.stream.media.work-dir", workDir::toString);
	}

	@Test
	void killsAnEncodeThatRunsOutOfTimeAndFailsTheVideoLeavingNothing() throws IOException {
		StoredVideos videos = new StoredVideos(this.databases.getMongoDatabase());
		String id = videos.insertUploaded();
		Path clip = TestClips.make(Files.createTempDirectory("clips"), 1280, 720, 30, false);
		try (InputStream in = Files.newInputStream(clip)) {
			GridFSBuckets.create(this.databases.getMongoDatabase())
				.uploadFromStream(new BsonObjectId(new ObjectId(id)), "long.mp4", in);
		}
		videos.set(id, new Document(VideoFields.STATUS, "encoding"));

		new TestKafka(String.join(",", this.kafkaConnection.getBootstrapServers())).send(Topics.RENDITIONS, id,
				"{\"id\":\"%s\",\"url\":\"http://api/v1/videos/%s/content\",\"scale\":720}".formatted(id, id));

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(videos.status(id)).isEqualTo("failed"));
		assertThat(videos.find(id).getString(VideoFields.ERROR))
			.startsWith("Gave up on rendition 720: ffmpeg did not finish within PT0.5S and was stopped");
		assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList())
			.as("no ffmpeg left running")
			.isEmpty();
		assertThat(GridFSBuckets.create(this.databases.getMongoDatabase(), StoredMedia.RENDITIONS_BUCKET)
			.find(new Document("_id", StoredMedia.renditionId(id, 720)))
			.first()).isNull();
		assertThat(WorkDirectories.jobFiles(workDir)).as("partial output and the source's copy removed").isEmpty();
	}

}
