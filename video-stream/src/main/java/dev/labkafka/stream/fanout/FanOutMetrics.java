package dev.labkafka.stream.fanout;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * The fan-out's metric, at {@code /actuator/prometheus}:
 * {@code videos_fanouts_total{outcome="fanned_out|repeated|gone|complete"}}.
 */
@Component
class FanOutMetrics {

	private final MeterRegistry registry;

	FanOutMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	void fanOut(String outcome) {
		this.registry.counter("videos.fanouts", "outcome", outcome).increment();
	}

}
