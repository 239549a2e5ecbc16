package dev.labkafka.api.tracing;

import java.util.function.Supplier;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.BaggageInScope;
import io.micrometer.tracing.Tracer;

import org.springframework.stereotype.Component;

/**
 * Work about one video, with the video's id in the trace's baggage
 * ({@code management.tracing.baggage}): Micrometer Tracing puts it in the logging context
 * ({@code videoId}) of every line logged meanwhile, and sends it with every Kafka message
 * sent meanwhile, so that the worker's lines about the video carry it too.
 */
@Component
public class VideoContext {

	/** The baggage field, and the logging context's key. */
	static final String VIDEO_ID = "videoId";

	private final Tracer tracer;

	private final ObservationRegistry observations;

	public VideoContext(Tracer tracer, ObservationRegistry observations) {
		this.tracer = tracer;
		this.observations = observations;
	}

	/**
	 * Runs {@code work} about the video with this id; outside a request (a scheduled
	 * pass) it gets a trace of its own, named for {@code what} it is.
	 */
	public <T> T about(String id, String what, Supplier<T> work) {
		if (this.tracer.currentSpan() != null) {
			return inBaggage(id, work);
		}
		return Observation.createNotStarted("videos.background", this.observations)
			.lowCardinalityKeyValue("work", what)
			.observe(() -> inBaggage(id, work));
	}

	public void about(String id, String what, Runnable work) {
		about(id, what, () -> {
			work.run();
			return null;
		});
	}

	/**
	 * Puts the video's id in the current trace's baggage until the returned scope is
	 * closed: for work that already has a trace (a request).
	 */
	public BaggageInScope open(String id) {
		return this.tracer.createBaggageInScope(VIDEO_ID, id);
	}

	private <T> T inBaggage(String id, Supplier<T> work) {
		try (BaggageInScope baggage = open(id)) {
			return work.get();
		}
	}

}
