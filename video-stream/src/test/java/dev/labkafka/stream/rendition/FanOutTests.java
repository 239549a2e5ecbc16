package dev.labkafka.stream.rendition;

import java.time.Duration;
import java.util.Collections;
import java.util.List;

import dev.labkafka.messages.Topics;
import dev.labkafka.messages.VideoMessage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.PartitionInfo;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import org.springframework.kafka.core.KafkaTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

class FanOutTests {

	static final String ID = "65a1b2c3d4e5f6a7b8c9d0e1";

	static final String SOURCE = "videos-2@17";

	@SuppressWarnings("unchecked")
	final KafkaTemplate<String, VideoMessage> kafka = mock(KafkaTemplate.class);

	final VideoProgress progress = mock(VideoProgress.class);

	final FanOut fanOut = new FanOut(this.kafka, this.progress, new RenditionPartitions(),
			new StreamSettings(Duration.ofSeconds(3), 4, 1, 6, 24, null), new StreamMetrics(new SimpleMeterRegistry()));

	@Test
	void claimsTheVideoThenSendsARenditionPerMissingScaleOnDistinctPartitions() {
		given(this.progress.claimFanOut(ID, SOURCE)).willReturn(VideoMessage.RENDITION_SCALES);
		given(this.kafka.partitionsFor(Topics.RENDITIONS))
			.willReturn(Collections.nCopies(24, new PartitionInfo(Topics.RENDITIONS, 0, null, null, null)));

		this.fanOut.onUpload(VideoMessage.uploaded(ID, "http://api/content"), 2, 17);

		ArgumentCaptor<Integer> partitions = ArgumentCaptor.forClass(Integer.class);
		ArgumentCaptor<VideoMessage> messages = ArgumentCaptor.forClass(VideoMessage.class);
		var order = inOrder(this.progress, this.kafka);
		order.verify(this.progress).claimFanOut(ID, SOURCE);
		order.verify(this.kafka, times(4))
			.send(eq(Topics.RENDITIONS), partitions.capture(), eq(ID), messages.capture());
		assertThat(messages.getAllValues()).extracting(VideoMessage::scale).containsExactly(360, 480, 720, 1080);
		assertThat(messages.getAllValues()).extracting(VideoMessage::url).containsOnly("http://api/content");
		assertThat(partitions.getAllValues()).doesNotHaveDuplicates();
	}

	@Test
	void sendsOnlyTheRenditionsThatAreMissing() {
		given(this.progress.claimFanOut(ID, SOURCE)).willReturn(List.of(720));
		given(this.kafka.partitionsFor(Topics.RENDITIONS))
			.willReturn(Collections.nCopies(24, new PartitionInfo(Topics.RENDITIONS, 0, null, null, null)));

		this.fanOut.onUpload(VideoMessage.uploaded(ID, "http://api/content"), 2, 17);

		verify(this.kafka).send(eq(Topics.RENDITIONS), anyInt(), eq(ID),
				eq(new VideoMessage(ID, "http://api/content", 720)));
		verify(this.kafka, times(1)).send(anyString(), anyInt(), anyString(), any());
	}

	@Test
	void completesAVideoThatMissesNoRendition() {
		given(this.progress.claimFanOut(ID, SOURCE)).willReturn(List.of());

		this.fanOut.onUpload(VideoMessage.uploaded(ID, "http://api/content"), 2, 17);

		verify(this.progress).completeIfDone(ID);
		verify(this.kafka, never()).send(anyString(), anyInt(), anyString(), any());
	}

	@Test
	void fansNothingOutForARepeatedAnnouncementOrAVideoThatIsGone() {
		given(this.progress.claimFanOut(ID, SOURCE)).willReturn(null);

		this.fanOut.onUpload(VideoMessage.uploaded(ID, "http://api/content"), 2, 17);

		verify(this.kafka, never()).send(anyString(), anyInt(), anyString(), any());
	}

	@Test
	void rejectsMessagesThatDoNotBelongOnTheUploadsTopic() {
		assertThatExceptionOfType(InvalidVideoMessage.class)
			.isThrownBy(() -> this.fanOut.onUpload(new VideoMessage(ID, "http://api/content", 480), 2, 17));
		assertThatExceptionOfType(InvalidVideoMessage.class)
			.isThrownBy(() -> this.fanOut.onUpload(VideoMessage.uploaded("not-an-id", "http://api/content"), 2, 17));
		verify(this.progress, never()).claimFanOut(anyString(), anyString());
	}

}
