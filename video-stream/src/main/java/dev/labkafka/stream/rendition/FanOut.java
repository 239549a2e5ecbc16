package dev.labkafka.stream.rendition;

import java.util.List;

import dev.labkafka.messages.Topics;
import dev.labkafka.messages.VideoMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;
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
 * outbox delivers at least once) is recognised and fans nothing out.
 */
@Component
public class FanOut {

	static final String GROUP = "video-stream.fan-out";

	private static final Logger logger = LoggerFactory.getLogger(FanOut.class);

	private final KafkaTemplate<String, VideoMessage> kafka;

	private final VideoProgress progress;

	private final RenditionPartitions partitions;

	private final StreamSettings settings;

	private final StreamMetrics metrics;

	FanOut(KafkaTemplate<String, VideoMessage> kafka, VideoProgress progress, RenditionPartitions partitions,
			StreamSettings settings, StreamMetrics metrics) {
		this.kafka = kafka;
		this.metrics = metrics;
		this.progress = progress;
		this.partitions = partitions;
		this.settings = settings;
	}

	@KafkaListener(id = "fan-out", groupId = GROUP, topics = Topics.VIDEOS, concurrency = "#{__listener.concurrency()}")
	void onUpload(@Payload VideoMessage message, @Header(KafkaHeaders.RECEIVED_PARTITION) int partition,
			@Header(KafkaHeaders.OFFSET) long offset) {
		VideoMessage upload = InvalidVideoMessage.checkUpload(message);
		try (MDC.MDCCloseable videoId = MDC.putCloseable("videoId", upload.id())) {
			fanOut(upload, Topics.VIDEOS + "-" + partition + "@" + offset);
		}
	}

	private void fanOut(VideoMessage upload, String source) {
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
		for (int i = 0; i < missing.size(); i++) {
			this.kafka.send(Topics.RENDITIONS, chosen[i], upload.id(), upload.withScale(missing.get(i)));
		}
		this.metrics.fanOut("fanned_out");
		logger.info("Video {} fanned out to renditions {}", upload.id(), missing);
	}

	/** The listener's concurrency, from the settings. */
	public String concurrency() {
		return String.valueOf(this.settings.fanOutConcurrency());
	}

}
