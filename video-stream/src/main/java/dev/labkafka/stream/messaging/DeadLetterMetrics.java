package dev.labkafka.stream.messaging;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * The dead letters' metric, at {@code /actuator/prometheus}:
 * {@code videos_dead_letters_total{topic}}, the records sent to a dead-letter topic, by
 * the topic they came from ({@code videos} or {@code video-renditions}).
 */
@Component
class DeadLetterMetrics {

	private final MeterRegistry registry;

	DeadLetterMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	void deadLetter(String topic) {
		this.registry.counter("videos.dead.letters", "topic", topic).increment();
	}

}
