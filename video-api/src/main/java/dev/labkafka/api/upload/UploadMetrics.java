package dev.labkafka.api.upload;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/**
 * The uploads' metrics: {@code videos_uploads_seconds{outcome="stored|rejected|failed"}}
 * (uploads and how long they took), {@code videos_upload_size_bytes} (the size of stored
 * uploads) and {@code videos_uploads_active} (upload bodies being read now, multipart and
 * resumable, against {@code video.api.upload.max-concurrent}).
 */
@Component
class UploadMetrics {

	private final MeterRegistry registry;

	UploadMetrics(MeterRegistry registry, UploadSlots slots) {
		this.registry = registry;
		Gauge.builder("videos.uploads.active", slots, UploadSlots::inUse)
			.description("Upload bodies being read now")
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

	private Timer uploads(String outcome) {
		return Timer.builder("videos.uploads")
			.description("Uploads, by outcome, and how long they took")
			.tag("outcome", outcome)
			.register(this.registry);
	}

}
