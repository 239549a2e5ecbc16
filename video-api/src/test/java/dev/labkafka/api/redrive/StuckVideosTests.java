package dev.labkafka.api.redrive;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

import dev.labkafka.api.redrive.StuckVideos.Positions;
import dev.labkafka.messages.Topics;
import dev.labkafka.videos.QueuedRecord;
import dev.labkafka.videos.VideoStatus;
import org.apache.kafka.common.TopicPartition;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a video in progress is told stuck from waiting, without Kafka: which of its records
 * move it on ({@link InProgress}), and whether each is still ahead of its group
 * ({@link Positions}).
 */
class StuckVideosTests {

	static final TopicPartition RENDITIONS_3 = new TopicPartition(Topics.RENDITIONS, 3);

	static final TopicPartition RETRY_3 = new TopicPartition(Topics.RENDITIONS + "-retry-0", 3);

	@Test
	void anUploadedVideoWaitsForItsAnnouncementOnly() {
		QueuedRecord announcement = new QueuedRecord(Topics.VIDEOS, 2, 40);
		InProgress uploaded = video(VideoStatus.UPLOADED, announcement, Map.of("360", rendition(5)), Map.of());

		assertThat(uploaded.waitingRecords()).containsExactly(announcement);
		assertThat(video(VideoStatus.UPLOADED, null, null, null).waitingRecords()).as("no place kept").isEmpty();
	}

	@Test
	void anEncodingVideoWaitsForItsMissingRenditionsOnly() {
		QueuedRecord missing = rendition(7);
		InProgress encoding = video(VideoStatus.ENCODING, new QueuedRecord(Topics.VIDEOS, 0, 1),
				Map.of("360", rendition(5), "720", missing), Map.of("360", "http://done"));

		assertThat(encoding.waitingRecords()).containsExactly(missing);
		assertThat(video(VideoStatus.ENCODING, null, null, Map.of()).waitingRecords()).isEmpty();
		assertThat(video(VideoStatus.SUCCESS, null, Map.of("720", missing), Map.of()).waitingRecords())
			.as("done: nothing moves it on")
			.isEmpty();
	}

	@Test
	void aRecordWaitsWhileItsGroupHasNotPassedIt() {
		Positions positions = new Positions(Map.of(RENDITIONS_3, 10L), Map.of(RENDITIONS_3, 0L),
				Map.of(RENDITIONS_3, 20L), Set.of(RENDITIONS_3));

		assertThat(positions.behind(rendition(10))).as("the next one the group reads").isFalse();
		assertThat(positions.behind(rendition(15))).as("queued behind others").isFalse();
		assertThat(positions.behind(rendition(9))).as("consumed").isTrue();
	}

	@Test
	void aRecordNoLongerInTheLogNoLongerWaits() {
		Positions positions = new Positions(Map.of(), Map.of(RENDITIONS_3, 12L), Map.of(RENDITIONS_3, 20L),
				Set.of(RENDITIONS_3));

		assertThat(positions.behind(rendition(11))).as("removed by retention").isTrue();
		assertThat(positions.behind(rendition(20))).as("past the end: the topic was made anew").isTrue();
		assertThat(positions.behind(rendition(12))).as("no commit yet, still in the log").isFalse();
		assertThat(new Positions(Map.of(), Map.of(), Map.of(), Set.of()).behind(rendition(1)))
			.as("its partition is gone")
			.isTrue();
	}

	@Test
	void followsARenditionToItsRetryTopicsGroup() {
		Positions positions = new Positions(Map.of(RETRY_3, 3L), Map.of(RETRY_3, 0L), Map.of(RETRY_3, 9L),
				Set.of(RETRY_3));

		assertThat(positions.behind(new QueuedRecord(RETRY_3.topic(), 3, 5))).isFalse();
		assertThat(positions.behind(new QueuedRecord(RETRY_3.topic(), 3, 2))).isTrue();
		TopicPartition unread = new TopicPartition("someone-elses-topic", 0);
		assertThat(new Positions(Map.of(), Map.of(), Map.of(), Set.of(unread))
			.behind(new QueuedRecord(unread.topic(), 0, 0))).as("no group of the worker reads it").isTrue();
	}

	private static QueuedRecord rendition(long offset) {
		return new QueuedRecord(Topics.RENDITIONS, 3, offset);
	}

	private static InProgress video(VideoStatus status, QueuedRecord announcement, Map<String, QueuedRecord> queued,
			Map<String, String> variants) {
		return new InProgress(new ObjectId(), "http://x", status, Instant.EPOCH, variants, announcement, queued);
	}

}
