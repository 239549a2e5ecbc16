package dev.labkafka.stream.segment;

import java.time.Duration;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/**
 * The segments' metrics, at {@code /actuator/prometheus}:
 * <ul>
 * <li>{@code video_segment_encode_seconds{scale}}: each segment's job, from reading the
 * original to its segment stored;</li>
 * <li>{@code video_segment_source_bytes{scale}}: the bytes of the original each segment
 * job read (a fraction of the file: the frames it needs and the container's index);</li>
 * <li>{@code video_segment_stitch_seconds{scale}}: each stitch, from fetching the
 * segments to the rendition stored.</li>
 * </ul>
 */
@Component
class SegmentMetrics {

	private final MeterRegistry registry;

	SegmentMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	void segment(int scale, Duration took, long sourceBytes) {
		Timer.builder("video.segment.encode")
			.description("Segment jobs: reading, encoding and storing one segment")
			.tag("scale", Integer.toString(scale))
			.register(this.registry)
			.record(took);
		DistributionSummary.builder("video.segment.source.bytes")
			.description("Bytes of the original read by each segment job")
			.baseUnit("bytes")
			.tag("scale", Integer.toString(scale))
			.register(this.registry)
			.record(sourceBytes);
	}

	void stitched(int scale, Duration took) {
		Timer.builder("video.segment.stitch")
			.description("Stitches of renditions cut into segments")
			.tag("scale", Integer.toString(scale))
			.register(this.registry)
			.record(took);
	}

}
