package dev.labkafka.stream.messaging;

import java.nio.charset.StandardCharsets;

import dev.labkafka.messages.Topics;
import dev.labkafka.messages.VideoMessage;
import dev.labkafka.stream.media.MediaFailure;
import dev.labkafka.stream.progress.VideoProgress;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.bson.types.ObjectId;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.stereotype.Component;

/**
 * Records that the worker gave up on: logged, and their video marked {@code failed} with
 * the reason, so that its user sees it (and can ask for a retry) instead of waiting
 * forever. Invalid messages say nothing about a real video and are only logged. The
 * fan-out's dead letters are counted here; the renditions' as they are published
 * ({@link RenditionRequeues}), since a record that is not JSON never reaches
 * {@link #onRendition}.
 */
@Component
class DeadLetters {

	private static final Logger logger = LoggerFactory.getLogger(DeadLetters.class);

	/** How Spring Kafka's listener exceptions start their message, before the cause's. */
	private static final String LISTENER_FAILED = "Listener failed; ";

	private final VideoProgress progress;

	private final DeadLetterMetrics metrics;

	DeadLetters(VideoProgress progress, DeadLetterMetrics metrics) {
		this.progress = progress;
		this.metrics = metrics;
	}

	/** The fan-out gave up on {@code record}, which is now in its dead-letter topic. */
	void gaveUp(ConsumerRecord<?, ?> record, Exception ex) {
		Throwable cause = NestedExceptionUtils.getMostSpecificCause(ex);
		this.metrics.deadLetter(record.topic());
		boolean invalid = cause instanceof InvalidVideoMessage;
		record(record.topic(), record.value(), invalid, cause.toString(),
				record.topic() + "-" + record.partition() + "@" + record.offset());
	}

	/**
	 * A rendition that ran out of retries, or could never be made, read from
	 * {@code video-renditions-dlt}; the reason is in the headers of the last attempt.
	 */
	void onRendition(ConsumerRecord<String, VideoMessage> deadLetter) {
		String type = header(deadLetter, KafkaHeaders.EXCEPTION_CAUSE_FQCN);
		type = (type != null) ? type : header(deadLetter, KafkaHeaders.EXCEPTION_FQCN);
		String message = header(deadLetter, KafkaHeaders.EXCEPTION_MESSAGE);
		if (message != null && message.startsWith(LISTENER_FAILED)) {
			// The listener container's wrapper adds nothing the cause does not say.
			message = message.substring(LISTENER_FAILED.length());
		}
		boolean invalid = InvalidVideoMessage.class.getName().equals(type);
		// ffmpeg's own words say what went wrong; other failures say what failed too.
		String reason = MediaFailure.class.getName().equals(type) ? message : type + ": " + message;
		record(Topics.RENDITIONS, deadLetter.value(), invalid, reason,
				deadLetter.topic() + "-" + deadLetter.partition() + "@" + deadLetter.offset());
	}

	private void record(String topic, @Nullable Object value, boolean invalid, String reason, String where) {
		logger.warn("Gave up on a record of {} (dead letter {}): {}", topic, where, reason);
		if (invalid || !(value instanceof VideoMessage message) || !ObjectId.isValid(message.id())) {
			return;
		}
		String error = "Gave up on " + (message.original() ? "the fan-out" : "rendition " + message.scale()) + ": "
				+ reason;
		try {
			this.progress.markFailed(message.id(), error);
		}
		catch (RuntimeException ex) {
			// Left in progress with nothing queued: the API finds it stuck and sends it
			// through the pipeline again.
			logger.warn("Could not mark video {} failed: {}", message.id(), ex.toString());
		}
	}

	private static @Nullable String header(ConsumerRecord<?, ?> record, String name) {
		Header header = record.headers().lastHeader(name);
		return (header != null) ? new String(header.value(), StandardCharsets.UTF_8) : null;
	}

}
