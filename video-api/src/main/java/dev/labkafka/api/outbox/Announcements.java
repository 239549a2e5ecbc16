package dev.labkafka.api.outbox;

import java.time.Clock;
import java.util.concurrent.Executor;

import dev.labkafka.messages.Topics;
import dev.labkafka.messages.VideoMessage;
import dev.labkafka.videos.QueuedRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.ProducerListener;
import org.springframework.stereotype.Component;

/**
 * Tells the worker about videos: one {@code scale = 0} message on the uploads topic,
 * keyed by the video's id, for a video in the outbox (its document has an
 * {@code announce_at}). When Kafka has the message the video leaves the outbox, and its
 * document keeps where the message is; when the send fails the relay tries again. So
 * every video is announced at least once, and the worker recognises repeats.
 */
@Component
class Announcements {

	/**
	 * Spring Boot's own listener would log every failed send as an error, with a stack
	 * trace, although a send that fails while Kafka is down is expected: the video stays
	 * in the outbox, and {@link #announce} logs a warning with the reason.
	 */
	@Bean
	static ProducerListener<Object, Object> kafkaProducerListener() {
		return new ProducerListener<>() {
		};
	}

	private static final Logger logger = LoggerFactory.getLogger(Announcements.class);

	private final KafkaTemplate<String, VideoMessage> kafka;

	private final PendingAnnouncements pending;

	private final Executor executor;

	private final OutboxMetrics metrics;

	private final Clock clock = Clock.systemUTC();

	/**
	 * @param executor where the outcome of a send is recorded in MongoDB: not on the
	 * Kafka producer's own network thread, which must never wait for a database. Spring
	 * Boot's task executor carries the trace (and the video's id) over to it.
	 */
	Announcements(KafkaTemplate<String, VideoMessage> kafka, PendingAnnouncements pending,
			@Qualifier("applicationTaskExecutor") Executor executor, OutboxMetrics metrics) {
		this.kafka = kafka;
		this.pending = pending;
		this.executor = executor;
		this.metrics = metrics;
	}

	/** The producer's connection and the uploads topic's metadata. */
	void warmUp() {
		this.kafka.partitionsFor(Topics.VIDEOS);
	}

	/**
	 * Sends the video's announcement without waiting for the broker. It blocks only while
	 * the producer has no metadata for the topic, at most {@code max.block.ms}.
	 * @return false when the send failed at once (the broker is unreachable)
	 */
	boolean announce(ObjectId video, String url) {
		String id = video.toHexString();
		try {
			this.kafka.send(Topics.VIDEOS, id, VideoMessage.uploaded(id, url)).whenCompleteAsync((result, ex) -> {
				if (ex == null) {
					announced(video, result.getRecordMetadata());
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

	private void announced(ObjectId video, RecordMetadata sent) {
		this.metrics.announcement(true);
		try {
			this.pending.announced(video, new QueuedRecord(sent.topic(), sent.partition(), sent.offset()));
		}
		catch (RuntimeException ex) {
			// Still in the outbox: the relay sends it again when its lease runs out, and
			// the worker recognises the repeat.
			logger.warn("Could not take video {} out of the outbox: {}", video, ex.toString());
		}
	}

	private void failed(ObjectId video, Throwable ex) {
		this.metrics.announcement(false);
		logger.warn("Could not announce video {} yet, the relay will try again: {}", video, ex.toString());
		try {
			this.pending.announceAgainAt(video, this.clock.instant());
		}
		catch (RuntimeException stillFailing) {
			// The lease runs out and the relay takes the video then.
			logger.warn("Could not reschedule the announcement of video {}: {}", video, stillFailing.toString());
		}
	}

}
