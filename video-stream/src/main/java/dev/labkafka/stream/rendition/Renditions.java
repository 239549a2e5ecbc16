package dev.labkafka.stream.rendition;

import dev.labkafka.messages.Topics;
import dev.labkafka.messages.VideoMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Steps 4 and 5 of the pipeline: make the rendition a message asks for, then record it in
 * the video's {@code variants}.
 * <p>
 * Each consumer thread takes one record per poll ({@code max.poll.records=1}), so a
 * 3-second rendition is far inside {@code max.poll.interval.ms} (5 minutes) and never
 * makes the group rebalance, and a record's offset is committed only once its rendition
 * is recorded.
 */
@Component
public class Renditions {

	static final String GROUP = "video-stream.renditions";

	private static final Logger logger = LoggerFactory.getLogger(Renditions.class);

	private final Transcoder transcoder;

	private final VideoProgress progress;

	private final StreamSettings settings;

	Renditions(Transcoder transcoder, VideoProgress progress, StreamSettings settings) {
		this.transcoder = transcoder;
		this.progress = progress;
		this.settings = settings;
	}

	@KafkaListener(id = "renditions", groupId = GROUP, topics = Topics.RENDITIONS,
			concurrency = "#{__listener.concurrency()}", properties = { "max.poll.records=1",
					"partition.assignment.strategy=org.apache.kafka.clients.consumer.RoundRobinAssignor" })
	void onRendition(VideoMessage rendition) throws InterruptedException {
		if (!VideoMessage.RENDITION_SCALES.contains(rendition.scale())) {
			logger.warn("Ignoring {}: scale {} is not a rendition", rendition, rendition.scale());
			return;
		}
		String url = this.transcoder.transcode(rendition);
		this.progress.recordVariant(rendition.id(), rendition.scale(), url);
	}

	/** The listener's concurrency, from the settings. */
	public String concurrency() {
		return String.valueOf(this.settings.renditionConcurrency());
	}

}
