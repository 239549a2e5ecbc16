package dev.labkafka.stream.rendition;

import dev.labkafka.messages.Topics;
import dev.labkafka.messages.VideoMessage;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Steps 4 and 5 of the pipeline: make the rendition a message asks for, then record it in
 * the video's {@code variants}.
 * <p>
 * A message is delivered at least once (a worker that dies mid-rendition hands it to
 * another), so a rendition that is already recorded is acknowledged without being made
 * again, and one for a video deleted meanwhile is dropped.
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

	private final StreamMetrics metrics;

	Renditions(Transcoder transcoder, VideoProgress progress, StreamSettings settings, StreamMetrics metrics) {
		this.transcoder = transcoder;
		this.metrics = metrics;
		this.progress = progress;
		this.settings = settings;
	}

	@KafkaListener(id = "renditions", groupId = GROUP, topics = Topics.RENDITIONS,
			concurrency = "#{__listener.concurrency()}", properties = { "max.poll.records=1",
					"partition.assignment.strategy=org.apache.kafka.clients.consumer.RoundRobinAssignor" })
	void onRendition(VideoMessage message) throws InterruptedException {
		VideoMessage rendition = InvalidVideoMessage.checkRendition(message);
		try (MDC.MDCCloseable videoId = MDC.putCloseable("videoId", rendition.id())) {
			make(rendition);
		}
	}

	private void make(VideoMessage rendition) throws InterruptedException {
		Timer.Sample sample = this.metrics.startRendition();
		switch (this.progress.renditionState(rendition.id(), rendition.scale())) {
			case VIDEO_GONE -> {
				logger.info("Video {} is gone; dropping its {} rendition", rendition.id(), rendition.scale());
				this.metrics.rendition(sample, rendition.scale(), "video_gone");
			}
			case DONE -> {
				logger.info("Video {}: rendition {} is done already; not making it again", rendition.id(),
						rendition.scale());
				this.metrics.rendition(sample, rendition.scale(), "already_done");
			}
			case TO_DO -> {
				String url = this.transcoder.transcode(rendition);
				logger.info("Video {}: transcoded rendition {}", rendition.id(), rendition.scale());
				this.progress.recordVariant(rendition.id(), rendition.scale(), url);
				this.metrics.rendition(sample, rendition.scale(), "done");
			}
		}
	}

	/** The listener's concurrency, from the settings. */
	public String concurrency() {
		return String.valueOf(this.settings.renditionConcurrency());
	}

}
