package dev.labkafka.api.video;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/**
 * The API's own metrics, at {@code /actuator/prometheus}:
 * <ul>
 * <li>{@code videos_uploads_seconds{outcome="stored|rejected|failed"}}: uploads and how
 * long they took;</li>
 * <li>{@code videos_upload_size_bytes}: the size of stored uploads;</li>
 * <li>{@code videos_announcements_total{outcome="sent|failed"}}: announcements sent to
 * Kafka, from uploads and from the outbox relay;</li>
 * <li>{@code videos_redriven_total}: stuck videos sent through the pipeline again;</li>
 * <li>{@code videos_outbox_backlog}: videos whose announcement Kafka does not have
 * yet;</li>
 * <li>{@code videos_resumable_uploads_total{outcome="created|completed|terminated|expired"}}:
 * what became of resumable uploads;</li>
 * <li>{@code videos_uploads_active}: upload bodies being read now, against
 * {@code video.api.upload.max-concurrent}.</li>
 * </ul>
 */
@Component
class VideoMetrics {

	private final MeterRegistry registry;

	VideoMetrics(MeterRegistry registry, Videos videos, UploadSlots slots) {
		this.registry = registry;
		Gauge.builder("videos.uploads.active", slots, UploadSlots::inUse)
			.description("Upload bodies being read now")
			.register(registry);
		Gauge.builder("videos.outbox.backlog", videos, Videos::countPendingAnnouncements)
			.description("Videos whose scale-0 announcement is not yet on Kafka")
			.register(registry);
	}

	Timer.Sample startUpload() {
		return Timer.start(this.registry);
	}

	void uploadStored(Timer.Sample sample, long bytes) {
		sample.stop(uploads("stored"));
		DistributionSummary.builder("videos.upload.size")
			.baseUnit("bytes")
			.description("Size of stored uploads")
			.register(this.registry)
			.record(bytes);
	}

	void uploadRefused(Timer.Sample sample, boolean clientError) {
		sample.stop(uploads(clientError ? "rejected" : "failed"));
	}

	void announcement(boolean sent) {
		this.registry.counter("videos.announcements", "outcome", sent ? "sent" : "failed").increment();
	}

	void resumableUpload(String outcome) {
		this.registry.counter("videos.resumable.uploads", "outcome", outcome).increment();
	}

	void redriven() {
		this.registry.counter("videos.redriven").increment();
	}

	private Timer uploads(String outcome) {
		return Timer.builder("videos.uploads")
			.description("Uploads, by outcome, and how long they took")
			.tag("outcome", outcome)
			.register(this.registry);
	}

}
