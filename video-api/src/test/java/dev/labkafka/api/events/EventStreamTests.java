package dev.labkafka.api.events;

import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * A stream whose client went away: its writer stops, and says so once, even when the
 * server ended the request before the writer could (Tomcat then refuses to end it again).
 */
class EventStreamTests {

	@Test
	void aClientGoneAwayEndsTheStreamOnceEvenWhenTheServerEndedItFirst() {
		AtomicInteger closed = new AtomicInteger();
		SseEmitter emitter = new SseEmitter() {
			@Override
			public void send(SseEventBuilder builder) throws IOException {
				throw new IOException("Broken pipe");
			}

			@Override
			public void completeWithError(Throwable ex) {
				throw new IllegalStateException("A non-container (application) thread attempted to use the "
						+ "AsyncContext after an error had occurred");
			}
		};
		// The writer runs on the caller's thread here: what it throws, the test sees.
		EventStream stream = new EventStream(emitter, null, 16, Runnable::run, closed::incrementAndGet);

		assertThatNoException().isThrownBy(() -> stream.send(() -> SseEmitter.event().data("x")));

		assertThat(stream.isOpen()).isFalse();
		assertThat(closed).hasValue(1);
		stream.send(() -> SseEmitter.event().data("y"));
		assertThat(closed).hasValue(1);
	}

	@Test
	void aStreamNoWriterCanBeHadForIsEndedSoThatItsClientReconnects() {
		AtomicInteger closed = new AtomicInteger();
		AtomicInteger completed = new AtomicInteger();
		SseEmitter emitter = new SseEmitter() {
			@Override
			public void complete() {
				completed.incrementAndGet();
			}
		};
		EventStream stream = new EventStream(emitter, null, 16, (task) -> {
			throw new RejectedExecutionException("every writer is busy");
		}, closed::incrementAndGet);

		stream.send(() -> SseEmitter.event().data("x"));

		assertThat(stream.isOpen()).isFalse();
		assertThat(closed).hasValue(1);
		assertThat(completed).as("the request ended").hasValue(1);
	}

}
