package dev.labkafka.stream.messaging;

import java.util.concurrent.Executor;

import dev.labkafka.messages.Topics;
import dev.labkafka.messages.VideoMessage;
import dev.labkafka.stream.progress.VideoProgress;
import dev.labkafka.videos.QueuedRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.kafka.support.ProducerListener;
import org.springframework.stereotype.Component;

/**
 * Follows a failed rendition as Spring Kafka moves it to a retry topic and at last to the
 * dead-letter topic: counts the dead letters, and keeps the message's new place in the
 * video's document, so that the API sees it still queued (not stuck) while it waits for
 * its retry. It listens to the sends of the renditions' retry template; the document is
 * updated on Spring Boot's task executor, not on the Kafka producer's network thread.
 */
@Component
class RenditionRequeues implements ProducerListener<Object, Object> {

	private static final Logger logger = LoggerFactory.getLogger(RenditionRequeues.class);

	private final VideoProgress progress;

	private final DeadLetterMetrics metrics;

	private final Executor executor;

	RenditionRequeues(VideoProgress progress, DeadLetterMetrics metrics,
			@Qualifier("applicationTaskExecutor") Executor executor) {
		this.progress = progress;
		this.metrics = metrics;
		this.executor = executor;
	}

	@Override
	public void onSuccess(ProducerRecord<Object, Object> record, RecordMetadata sent) {
		if (record.topic().equals(Topics.deadLetters(Topics.RENDITIONS))) {
			this.metrics.deadLetter(Topics.RENDITIONS);
		}
		if (record.value() instanceof VideoMessage message && ObjectId.isValid(message.id())
				&& VideoMessage.RENDITION_SCALES.contains(message.scale())) {
			QueuedRecord where = new QueuedRecord(sent.topic(), sent.partition(), sent.offset());
			this.executor.execute(() -> keep(message, where));
		}
	}

	private void keep(VideoMessage message, QueuedRecord where) {
		try {
			this.progress.requeued(message.id(), message.scale(), where);
		}
		catch (RuntimeException ex) {
			// Still counted as queued where it was: a rendition is re-driven only when
			// nothing of it is left in Kafka.
			logger.warn("Could not keep where rendition {} of video {} went ({}): {}", message.scale(), message.id(),
					where, ex.toString());
		}
	}

}
