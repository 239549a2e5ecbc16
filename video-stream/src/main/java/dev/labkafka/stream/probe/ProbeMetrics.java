package dev.labkafka.stream.probe;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * The probe's metric, at {@code /actuator/prometheus}:
 * {@code videos_probes_total{outcome="probed|unreadable|probed_already|no_original|video_gone|unavailable"}}.
 */
@Component
class ProbeMetrics {

	private final MeterRegistry registry;

	ProbeMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	void probe(String outcome) {
		this.registry.counter("videos.probes", "outcome", outcome).increment();
	}

}
