package dev.labkafka.stream.fanout;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.labkafka.messages.Topics;
import dev.labkafka.messages.VideoMessage;
import dev.labkafka.stream.messaging.InvalidVideoMessage;
import dev.labkafka.stream.progress.VideoProgress;
import dev.labkafka.videos.QueuedRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/**
 * The fan-out's decisions, with Kafka and MongoDB mocked;
 * {@code ReliabilityIntegrationTests} runs it on real ones.
 */
class FanOutTests {

	static final String ID = "65a1b2c3d4e5f6a7b8c9d0e1";

	static final String SOURCE = "videos-2@17";

	@SuppressWarnings("unchecked")
	final KafkaTemplate<String, VideoMessage> kafka = mock(KafkaTemplate.class);

	final VideoProgress progress = mock(VideoProgress.class);

	final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	final FanOut fanOut = new FanOut(this.kafka, this.progress,
			new RenditionPartitions(List::of, RenditionPartitionsTests.turns()), new FanOutMetrics(this.meters));

	@BeforeEach
	void brokerAcknowledgesEverySend() {
		given(this.kafka.partitionsFor(Topics.RENDITIONS))
			.willReturn(Collections.nCopies(24, new PartitionInfo(Topics.RENDITIONS, 0, null, null, null)));
		given(this.kafka.send(anyString(), anyInt(), anyString(), any())).willAnswer((invocation) -> {
			int partition = invocation.getArgument(1);
			VideoMessage message = invocation.getArgument(3);
			RecordMetadata metadata = new RecordMetadata(new TopicPartition(Topics.RENDITIONS, partition),
					100 + message.scale(), 0, 0, 0, 0);
			return CompletableFuture.completedFuture(
					new SendResult<>(new ProducerRecord<>(Topics.RENDITIONS, partition, ID, message), metadata));
		});
	}

	@Test
	void claimsTheVideoThenSendsARenditionPerMissingScaleOnDistinctPartitions() throws Exception {
		given(this.progress.claimFanOut(ID, SOURCE)).willReturn(VideoMessage.RENDITION_SCALES);

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
		assertThat(fanOuts("fanned_out")).isEqualTo(1);
	}

	@Test
	void keepsWhereEachRenditionMessageWentForTheStuckCheck() throws Exception {
		given(this.progress.claimFanOut(ID, SOURCE)).willReturn(List.of(480, 1080));

		this.fanOut.onUpload(VideoMessage.uploaded(ID, "http://api/content"), 2, 17);

		@SuppressWarnings("unchecked")
		ArgumentCaptor<Map<Integer, QueuedRecord>> queued = ArgumentCaptor.forClass(Map.class);
		verify(this.progress).queued(eq(ID), eq(SOURCE), queued.capture());
		assertThat(queued.getValue()).containsOnlyKeys(480, 1080);
		assertThat(queued.getValue().get(480).offset()).isEqualTo(580L);
		assertThat(queued.getValue().get(1080).offset()).isEqualTo(1180L);
		assertThat(queued.getValue().values()).extracting(QueuedRecord::topic).containsOnly(Topics.RENDITIONS);
	}

	@Test
	void sendsOnlyTheRenditionsThatAreMissing() throws Exception {
		given(this.progress.claimFanOut(ID, SOURCE)).willReturn(List.of(720));

		this.fanOut.onUpload(VideoMessage.uploaded(ID, "http://api/content"), 2, 17);

		verify(this.kafka).send(eq(Topics.RENDITIONS), anyInt(), eq(ID),
				eq(new VideoMessage(ID, "http://api/content", 720)));
		verify(this.kafka, times(1)).send(anyString(), anyInt(), anyString(), any());
	}

	@Test
	void completesAVideoThatMissesNoRendition() throws Exception {
		given(this.progress.claimFanOut(ID, SOURCE)).willReturn(List.of());

		this.fanOut.onUpload(VideoMessage.uploaded(ID, "http://api/content"), 2, 17);

		verify(this.progress).completeIfDone(ID);
		verify(this.kafka, never()).send(anyString(), anyInt(), anyString(), any());
		assertThat(fanOuts("complete")).isEqualTo(1);
	}

	@Test
	void fansNothingOutForARepeatedAnnouncement() throws Exception {
		given(this.progress.claimFanOut(ID, SOURCE)).willReturn(null);
		given(this.progress.exists(ID)).willReturn(true);

		this.fanOut.onUpload(VideoMessage.uploaded(ID, "http://api/content"), 2, 17);

		verify(this.kafka, never()).send(anyString(), anyInt(), anyString(), any());
		verify(this.progress, never()).queued(anyString(), anyString(), anyMap());
		assertThat(fanOuts("repeated")).isEqualTo(1);
		assertThat(fanOuts("gone")).isZero();
	}

	@Test
	void fansNothingOutForAVideoThatIsGone() throws Exception {
		given(this.progress.claimFanOut(ID, SOURCE)).willReturn(null);
		given(this.progress.exists(ID)).willReturn(false);

		this.fanOut.onUpload(VideoMessage.uploaded(ID, "http://api/content"), 2, 17);

		verify(this.kafka, never()).send(anyString(), anyInt(), anyString(), any());
		assertThat(fanOuts("gone")).isEqualTo(1);
		assertThat(fanOuts("repeated")).isZero();
	}

	@Test
	void rejectsMessagesThatDoNotBelongOnTheUploadsTopic() {
		assertThatExceptionOfType(InvalidVideoMessage.class)
			.isThrownBy(() -> this.fanOut.onUpload(new VideoMessage(ID, "http://api/content", 480), 2, 17));
		assertThatExceptionOfType(InvalidVideoMessage.class)
			.isThrownBy(() -> this.fanOut.onUpload(VideoMessage.uploaded("not-an-id", "http://api/content"), 2, 17));
		verify(this.progress, never()).claimFanOut(anyString(), anyString());
	}

	private double fanOuts(String outcome) {
		var counter = this.meters.find("videos.fanouts").tag("outcome", outcome).counter();
		return (counter != null) ? counter.count() : 0;
	}

}
