package dev.labkafka.stream.rendition;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.labkafka.messages.Topics;
import dev.labkafka.messages.VideoMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Step 3 of the pipeline: an upload ({@code scale = 0}) becomes four rendition messages
 * with the same id and url, and the video's status becomes {@code encoding}.
 * <p>
 * Uploads have their own topic and consumers, so a new upload is fanned out at once even
 * while the rendition consumers work through a backlog.
 */
@Component
public class FanOut {

	static final String GROUP = "video-stream.fan-out";

	private static final Logger logger = LoggerFactory.getLogger(FanOut.class);

	private final KafkaTemplate<String, VideoMessage> kafka;

	private final VideoProgress progress;

	private final RenditionPartitions partitions;

	private final StreamSettings settings;

	FanOut(KafkaTemplate<String, VideoMessage> kafka, VideoProgress progress, RenditionPartitions partitions,
			StreamSettings settings) {
		this.kafka = kafka;
		this.progress = progress;
		this.partitions = partitions;
		this.settings = settings;
	}

	@KafkaListener(id = "fan-out", groupId = GROUP, topics = Topics.VIDEOS, concurrency = "#{__listener.concurrency()}")
	void onUpload(VideoMessage upload) throws InterruptedException, ExecutionException, TimeoutException {
		if (!upload.original()) {
			logger.warn("Ignoring {} on {}: only scale 0 belongs there", upload, Topics.VIDEOS);
			return;
		}
		if (!this.progress.startEncoding(upload.id())) {
			logger.info("Video {} is gone; not fanning it out", upload.id());
			return;
		}
		List<VideoMessage> renditions = upload.renditions();
		int[] partitions = this.partitions.next(renditions.size(), this.kafka.partitionsFor(Topics.RENDITIONS).size());
		CompletableFuture<?>[] sends = new CompletableFuture<?>[renditions.size()];
		for (int i = 0; i < sends.length; i++) {
			sends[i] = this.kafka.send(Topics.RENDITIONS, partitions[i], upload.id(), renditions.get(i));
		}
		CompletableFuture.allOf(sends).get(this.settings.fanOutTimeout().toMillis(), TimeUnit.MILLISECONDS);
		logger.info("Video {} fanned out to {} renditions", upload.id(), renditions.size());
	}

	/** The listener's concurrency, from the settings. */
	public String concurrency() {
		return String.valueOf(this.settings.fanOutConcurrency());
	}

}
