package dev.labkafka.videos;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class VideoStatusTests {

	@Test
	void storesTheOriginalLabsLowerCaseWords() {
		assertThat(VideoStatus.values()).extracting(VideoStatus::word)
			.containsExactly("uploaded", "encoding", "success", "failed");
		assertThat(VideoStatus.of("encoding")).contains(VideoStatus.ENCODING);
		assertThat(VideoStatus.of("ENCODING")).isEmpty();
	}

	@Test
	void aRecordIsConsumedOnceTheCommittedOffsetIsPastIt() {
		QueuedRecord record = new QueuedRecord("videos", 3, 17);
		assertThat(record.consumedBy(17)).as("the next to read").isFalse();
		assertThat(record.consumedBy(18)).isTrue();
		assertThat(VideoFields.variant(720)).isEqualTo("variants.720");
		assertThat(VideoFields.queuedRendition(720)).isEqualTo("renditions_queued.720");
	}

}
