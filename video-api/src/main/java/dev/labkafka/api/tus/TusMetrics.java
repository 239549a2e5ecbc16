package dev.labkafka.api.tus;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * {@code videos_resumable_uploads_total{outcome="created|completed|terminated|expired"}}:
 * what became of resumable uploads.
 */
@Component
class TusMetrics {

	private final MeterRegistry registry;

	TusMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	void resumableUpload(String outcome) {
		this.registry.counter("videos.resumable.uploads", "outcome", outcome).increment();
	}

}
