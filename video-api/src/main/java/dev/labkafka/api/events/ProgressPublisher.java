package dev.labkafka.api.events;

import java.util.concurrent.Executor;

import dev.labkafka.api.catalog.VideoChanged;
import dev.labkafka.messages.ProgressMessage;
import dev.labkafka.messages.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Tells every API instance (and so every client with an event stream) about the changes
 * this API makes itself ({@link VideoChanged}: a video stored, retried, sent through
 * again or deleted), on {@link Topics#PROGRESS}; the worker tells of its own. Sent from
 * Spring's task executor, so that a request never waits for Kafka; a change that cannot
 * be told is logged and dropped (clients that reconnect read it from MongoDB).
 */
@Component
class ProgressPublisher {

	private static final Logger logger = LoggerFactory.getLogger(ProgressPublisher.class);

	private final KafkaTemplate<String, ProgressMessage> kafka;

	private final Executor executor;

	ProgressPublisher(KafkaTemplate<String, ProgressMessage> kafka,
			@Qualifier("applicationTaskExecutor") Executor executor) {
		this.kafka = kafka;
		this.executor = executor;
	}

	@EventListener
	void onChange(VideoChanged changed) {
		publish(changed.deleted() ? ProgressMessage.deleted(changed.id()) : ProgressMessage.status(changed.id()));
	}

	private void publish(ProgressMessage change) {
		this.executor.execute(() -> {
			try {
				this.kafka.send(Topics.PROGRESS, change.id(), change).whenComplete((result, ex) -> {
					if (ex != null) {
						dropped(change, ex);
					}
				});
			}
			catch (RuntimeException ex) {
				dropped(change, ex);
			}
		});
	}

	private static void dropped(ProgressMessage change, Throwable ex) {
		logger.warn("Could not tell the other instances that video {} changed ({}): {}", change.id(), change.change(),
				ex.toString());
	}

}
