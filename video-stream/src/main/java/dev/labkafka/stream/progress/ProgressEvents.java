package dev.labkafka.stream.progress;

import dev.labkafka.messages.ProgressMessage;
import dev.labkafka.messages.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.stereotype.Component;

/**
 * Tells the API instances that a video changed, on {@link Topics#PROGRESS}, so that they
 * push it to their clients. A change made in the fan-out's transaction is told in it (the
 * message commits with the fan-out); any other is told at once. A message that cannot be
 * sent is logged and dropped: the change itself is in MongoDB, and a client that missed
 * it reads it there when it reconnects.
 */
@Component
class ProgressEvents {

	private static final Logger logger = LoggerFactory.getLogger(ProgressEvents.class);

	private final KafkaTemplate<Object, Object> kafka;

	ProgressEvents(ProducerFactory<Object, Object> producers) {
		this.kafka = new KafkaTemplate<>(producers);
		// Renditions and probes run outside transactions; the fan-out's sends join its
		// own.
		this.kafka.setAllowNonTransactional(true);
	}

	void publish(ProgressMessage change) {
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
	}

	/**
	 * Makes the producer that tells changes outside the fan-out's transaction, with the
	 * progress topic's metadata: the first probe or rendition would otherwise wait for
	 * both.
	 */
	void warmUp() {
		this.kafka.partitionsFor(Topics.PROGRESS);
	}

	private static void dropped(ProgressMessage change, Throwable ex) {
		logger.warn("Could not tell the API that video {} changed ({}): {}", change.id(), change.change(),
				ex.toString());
	}

}
