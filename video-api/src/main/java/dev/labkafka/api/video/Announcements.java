package dev.labkafka.api.video;

import java.time.Clock;
import java.util.concurrent.Executor;

import dev.labkafka.messages.Topics;
import dev.labkafka.messages.VideoMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Tells the worker about videos: one {@code scale = 0} message on the uploads topic,
 * keyed by the video's id, for a video in the outbox (its document has an
 * {@code announce_at}). When Kafka has the message the video leaves the outbox; when the
 * send fails the relay tries again. So every video is announced at least once, and the
 * worker recognises repeats.
 */
@Component
class Announcements {

	private static final Logger logger = LoggerFactory.getLogger(Announcements.class);

	private final KafkaTemplate<String, VideoMessage> kafka;

	private final Videos videos;

	private final Executor executor;

	private final Clock clock = Clock.systemUTC();

	/**
	 * @param executor where the outcome of a send is recorded in MongoDB: not on the
	 * Kafka producer's own network thread, which must never wait for a database
	 */
	private final VideoMetrics metrics;

	Announcements(KafkaTemplate<String, VideoMessage> kafka, Videos videos,
			@Qualifier("applicationTaskExecutor") Executor executor, VideoMetrics metrics) {
		this.kafka = kafka;
		this.videos = videos;
		this.executor = executor;
		this.metrics = metrics;
	}

	/**
	 * Sends the video's announcement without waiting for the broker. It blocks only while
	 * the producer has no metadata for the topic, at most {@code max.block.ms}.
	 * @return false when the send failed at once (the broker is unreachable)
	 */
	boolean announce(Video video) {
		String id = video.id().toHexString();
		try {
			this.kafka.send(Topics.VIDEOS, id, VideoMessage.uploaded(id, video.url()))
				.whenCompleteAsync((result, ex) -> {
					if (ex == null) {
						this.metrics.announcement(true);
						this.videos.announced(video.id());
					}
					else {
						failed(video, ex);
					}
				}, this.executor);
			return true;
		}
		catch (RuntimeException ex) {
			failed(video, ex);
			return false;
		}
	}

	private void failed(Video video, Throwable ex) {
		this.metrics.announcement(false);
		try (MDC.MDCCloseable videoId = MDC.putCloseable(VideoIdInLogs.KEY, video.id().toHexString())) {
			reschedule(video, ex);
		}
	}

	private void reschedule(Video video, Throwable ex) {
		logger.warn("Could not announce video {} yet, the relay will try again: {}", video.id(), ex.toString());
		try {
			this.videos.announceAgainAt(video.id(), this.clock.instant());
		}
		catch (RuntimeException stillFailing) {
			// The lease runs out and the relay takes the video then.
			logger.warn("Could not reschedule the announcement of video {}: {}", video.id(), stillFailing.toString());
		}
	}

}
