package dev.labkafka.stream.rendition;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/**
 * The renditions' metrics, at {@code /actuator/prometheus}, beside Spring Kafka's
 * listener timers and the Kafka clients' metrics (consumer lag is
 * {@code kafka_consumer_fetch_manager_records_lag_max}):
 * <ul>
 * <li>{@code videos_renditions_seconds{scale, outcome="done|already_done|video_gone"}}:
 * renditions and how long they took;</li>
 * <li>{@code videos_encoded_media_seconds_total{scale}}: seconds of video ffmpeg has
 * encoded, as it reports its progress (its rate is the encoding speed).</li>
 * </ul>
 */
@Component
class RenditionMetrics {

	private final MeterRegistry registry;

	RenditionMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	Timer.Sample startRendition() {
		return Timer.start(this.registry);
	}

	void rendition(Timer.Sample sample, int scale, String outcome) {
		sample.stop(Timer.builder("videos.renditions")
			.description("Renditions, by scale and outcome, and how long they took")
			.tag("scale", Integer.toString(scale))
			.tag("outcome", outcome)
			.register(this.registry));
	}

	void encoded(int scale, double seconds) {
		this.registry.counter("videos.encoded.media.seconds", "scale", Integer.toString(scale)).increment(seconds);
	}

}
