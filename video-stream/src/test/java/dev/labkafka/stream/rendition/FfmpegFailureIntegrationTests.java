package dev.labkafka.stream.rendition;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
 * An ffmpeg that fails half-way, after writing part of its output: the rendition fails
 * for good with the tail of ffmpeg's error output as the video's error, and the partial
 * file is removed. The ffmpeg here is a script that behaves so (the real ffprobe reads
 * the source); skipped where ffprobe is not installed.
 */
@SpringBootTest(properties = { VideoStreamApplication.CONFIG_NAME, "video.stream.transcoder=ffmpeg" })
@EmbeddedInfrastructure
class FfmpegFailureIntegrationTests {

	static Path workDir;

	@Autowired
	KafkaConnectionDetails kafkaConnection;

	@Autowired
	MongoDatabaseFactory databases;

	@BeforeAll
	static void ffprobe() {
		assumeThat(TestClips.ffmpegInstalled()).as("ffmpeg and ffprobe installed").isTrue();
	}

	@DynamicPropertySource
	static void failingFfmpeg(DynamicPropertyRegistry properties) throws IOException {
		workDir = Files.createTempDirectory("work");
		Path ffmpeg = Files.createTempDirectory("bin").resolve("ffmpeg");
		// Answers -version like ffmpeg; otherwise writes half a file to its last
		// argument,
		// complains on stderr and fails.
		Files.writeString(ffmpeg, """
				#!/bin/sh
				if [ "$1" = "-version" ]; then echo "ffmpeg version test"; exit 0; fi
				for last; do :; done
				echo partial > "$last"
				i=1; while [ $i -le 20 ]; do echo "decoding frame $i" >&2; i=$((i+1)); done
				echo "Error while decoding stream #0:0: Invalid data found when processing input" >&2
				exit 69
				""");
		Files.setPosixFilePermissions(ffmpeg, PosixFilePermissions.fromString("rwxr-xr-x"));
		properties.add("video.stream.media.ffmpeg", ffmpeg::toString);
		properties.add("video.stream.media.work-dir", workDir::toString);
	}

	@Test
	void failsTheVideoWithFfmpegsLastWordsAndRemovesThePartialOutput() throws IOException {
		StoredVideos videos = new StoredVideos(this.databases.getMongoDatabase());
		String id = videos.insertUploaded();
		Path clip = TestClips.make(Files.createTempDirectory("clips"), 640, 360, 1, false);
		try (InputStream in = Files.newInputStream(clip)) {
			GridFSBuckets.create(this.databases.getMongoDatabase())
				.uploadFromStream(new BsonObjectId(new ObjectId(id)), "clip.mp4", in);
		}
		videos.set(id, new Document(VideoFields.STATUS, "encoding"));

		new TestKafka(String.join(",", this.kafkaConnection.getBootstrapServers())).send(Topics.RENDITIONS, id,
				"{\"id\":\"%s\",\"url\":\"http://api/v1/videos/%s/content\",\"scale\":360}".formatted(id, id));

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(videos.status(id)).isEqualTo("failed"));
		assertThat(videos.find(id).getString(VideoFields.ERROR))
			.startsWith("Gave up on rendition 360: ffmpeg failed (exit 69): ")
			.contains("decoding frame 20")
			.endsWith("Invalid data found when processing input")
			.doesNotContain("decoding frame 5 ");
		assertThat(GridFSBuckets.create(this.databases.getMongoDatabase(), StoredMedia.RENDITIONS_BUCKET)
			.find(new Document("_id", StoredMedia.renditionId(id, 360)))
			.first()).isNull();
		assertThat(WorkDirectories.jobFiles(workDir)).as("the partial output and the source's copy removed").isEmpty();
	}

}
