package dev.labkafka.messages;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TopicsTests {

	@Test
	void namesTheGroupThatReadsEachTopicOfThePipeline() {
		assertThat(Topics.consumerGroup("videos")).isEqualTo("video-stream.fan-out");
		assertThat(Topics.consumerGroup("video-renditions")).isEqualTo("video-stream.renditions");
		assertThat(Topics.consumerGroup("video-renditions-retry-3")).isEqualTo("video-stream.renditions-retry-3");
		assertThat(Topics.consumerGroup("video-renditions-dlt")).isEqualTo("video-stream.renditions-dlt");
		assertThat(Topics.consumerGroup("videos-dlt")).as("read by nobody").isNull();
		assertThat(Topics.consumerGroup("video-renditionsX")).isNull();
	}

}
