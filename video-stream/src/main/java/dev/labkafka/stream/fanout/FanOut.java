package dev.labkafka.stream.fanout;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.labkafka.messages.Topics;
import dev.labkafka.messages.VideoMessage;
import dev.labkafka.stream.messaging.InvalidVideoMessage;
import dev.labkafka.stream.progress.VideoProgress;
import dev.labkafka.videos.QueuedRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.kafka.support.SendResult;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.stereotype.Component;

/**
 * Step 3 of the pipeline: an upload ({@code scale = 0}) becomes one rendition message per
 * missing scale, with the same id and url, and the video's status becomes
 * {@code encoding}.
 * <p>
 * Each fan-out runs in a Kafka transaction with the consumer's offset, so the rendition
 * messages and the "upload handled" mark are committed together or not at all (the
 * rendition consumers read committed records only). Uploads have their own topic and
 * consumers, so a new upload is fanned out at once even while the rendition consumers
 * work through a backlog. A second announcement of a video already fanned out (the API's
 * outbox delivers at least once) is recognised and fans nothing out. Where the rendition
 * messages went is kept in the video's document, so that the API can tell renditions
 * still queued from a video that is stuck.
 */
@Component
class FanOut {

	private static final Logger logger = LoggerFactory.getLogger(FanOut.class);

	/** How long the broker may take to acknowledge the rendition messages. */
	private static final long SEND_TIMEOUT_SECONDS = 30;

	private final KafkaTemplate<String, VideoMessage> kafka;

	private final VideoProgress progress;

	private final RenditionPartitions partitions;

	private final FanOutMetrics metrics;

	FanOut(KafkaTemplate<String, VideoMessage> kafka, VideoProgress progress, RenditionPartitions partitions,
			FanOutMetrics metrics) {
		this.kafka = kafka;
		this.progress = progress;
		this.partitions = partitions;
		this.metrics = metrics;
	}

	@KafkaListener(id = "fan-out", groupId = Topics.FAN_OUT_GROUP, topics = Topics.VIDEOS)
	void onUpload(@Payload VideoMessage message, @Header(KafkaHeaders.RECEIVED_PARTITION) int partition,
			@Header(KafkaHeaders.OFFSET) long offset)
			throws InterruptedException, ExecutionException, TimeoutException {
		VideoMessage upload = InvalidVideoMessage.checkUpload(message);
		logger.info("Video {}: took its announcement {}-{}@{}", upload.id(), Topics.VIDEOS, partition, offset);
		fanOut(upload, Topics.VIDEOS + "-" + partition + "@" + offset);
	}

	private void fanOut(VideoMessage upload, String source)
			throws InterruptedException, ExecutionException, TimeoutException {
		List<Integer> missing = this.progress.claimFanOut(upload.id(), source);
		if (missing == null) {
			if (this.progress.exists(upload.id())) {
				this.metrics.fanOut("repeated");
				logger.info("Video {} was fanned out already; ignoring the repeated announcement {}", upload.id(),
						source);
			}
			else {
				this.metrics.fanOut("gone");
				logger.info("Video {} is gone; not fanning it out", upload.id());
			}
			return;
		}
		if (missing.isEmpty()) {
			this.metrics.fanOut("complete");
			this.progress.completeIfDone(upload.id());
			return;
		}
		int[] chosen = this.partitions.next(missing.size(), this.kafka.partitionsFor(Topics.RENDITIONS).size());
		List<CompletableFuture<SendResult<String, VideoMessage>>> sends = new ArrayList<>();
		for (int i = 0; i < missing.size(); i++) {
			sends.add(this.kafka.send(Topics.RENDITIONS, chosen[i], upload.id(), upload.withScale(missing.get(i))));
		}
		Map<Integer, QueuedRecord> queued = new LinkedHashMap<>();
		for (int i = 0; i < sends.size(); i++) {
			RecordMetadata sent = sends.get(i).get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS).getRecordMetadata();
			queued.put(missing.get(i), new QueuedRecord(sent.topic(), sent.partition(), sent.offset()));
		}
		this.progress.queued(upload.id(), source, queued);
		this.metrics.fanOut("fanned_out");
		logger.info("Video {} fanned out to renditions {}", upload.id(), missing);
	}

}
