package dev.labkafka.stream.rendition;

import java.time.Duration;
import java.util.Collections;
import java.util.concurrent.CompletableFuture;

import dev.labkafka.messages.Topics;
import dev.labkafka.messages.VideoMessage;
import org.apache.kafka.common.PartitionInfo;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import org.springframework.kafka.core.KafkaTemplate;

import static org.assertj.core.api.Assertions.assertThat;
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

	@SuppressWarnings("unchecked")
	final KafkaTemplate<String, VideoMessage> kafka = mock(KafkaTemplate.class);

	final VideoProgress progress = mock(VideoProgress.class);

	final FanOut fanOut = new FanOut(this.kafka, this.progress, new RenditionPartitions(),
			new StreamSettings(Duration.ofSeconds(3), 4, 1, Duration.ofSeconds(1), 6, 24));

	@Test
	void marksTheVideoEncodingThenSendsFourRenditionsOnDistinctPartitions() throws Exception {
		given(this.progress.startEncoding(ID)).willReturn(true);
		given(this.kafka.partitionsFor(Topics.RENDITIONS))
			.willReturn(Collections.nCopies(24, new PartitionInfo(Topics.RENDITIONS, 0, null, null, null)));
		given(this.kafka.send(anyString(), anyInt(), anyString(), any()))
			.willReturn(CompletableFuture.completedFuture(null));

		this.fanOut.onUpload(VideoMessage.uploaded(ID, "http://api/content"));

		ArgumentCaptor<Integer> partitions = ArgumentCaptor.forClass(Integer.class);
		ArgumentCaptor<VideoMessage> messages = ArgumentCaptor.forClass(VideoMessage.class);
		var order = inOrder(this.progress, this.kafka);
		order.verify(this.progress).startEncoding(ID);
		order.verify(this.kafka, times(4))
			.send(eq(Topics.RENDITIONS), partitions.capture(), eq(ID), messages.capture());
		assertThat(messages.getAllValues()).extracting(VideoMessage::scale).containsExactly(360, 480, 720, 1080);
		assertThat(messages.getAllValues()).extracting(VideoMessage::url).containsOnly("http://api/content");
		assertThat(partitions.getAllValues()).doesNotHaveDuplicates();
	}

	@Test
	void doesNotFanOutAVideoThatIsGone() throws Exception {
		given(this.progress.startEncoding(ID)).willReturn(false);

		this.fanOut.onUpload(VideoMessage.uploaded(ID, "http://api/content"));

		verify(this.kafka, never()).send(anyString(), anyInt(), anyString(), any());
	}

	@Test
	void ignoresARenditionOnTheUploadsTopic() throws Exception {
		this.fanOut.onUpload(new VideoMessage(ID, "http://api/content", 480));

		verify(this.progress, never()).startEncoding(anyString());
		verify(this.kafka, never()).send(anyString(), anyInt(), anyString(), any());
	}

}
