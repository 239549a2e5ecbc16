package dev.labkafka.api.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * The outbox's metrics: {@code videos_announcements_total{outcome="sent|failed"}}
 * (announcements sent to Kafka, from uploads, retries, re-drives and the relay) and
 * {@code videos_outbox_backlog} (videos whose announcement Kafka does not have yet).
 */
@Component
class OutboxMetrics {

	private final MeterRegistry registry;

	OutboxMetrics(MeterRegistry registry, PendingAnnouncements pending) {
		this.registry = registry;
		Gauge.builder("videos.outbox.backlog", pending, PendingAnnouncements::count)
			.description("Videos whose scale-0 announcement is not yet on Kafka")
			.register(registry);
	}

	void announcement(boolean sent) {
		this.registry.counter("videos.announcements", "outcome", sent ? "sent" : "failed").increment();
	}

}
