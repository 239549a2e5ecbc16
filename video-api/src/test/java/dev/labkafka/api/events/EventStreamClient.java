package dev.labkafka.api.events;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * A server-sent-events client over plain HTTP, as a browser's {@code EventSource} reads
 * the stream: events (id, name, data) and comments, read on a thread of their own.
 */
final class EventStreamClient implements AutoCloseable {

	record Event(@Nullable String id, String name, String data) {
	}

	private final HttpResponse<Stream<String>> response;

	private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

	private final List<String> comments = new CopyOnWriteArrayList<>();

	private volatile boolean ended;

	private final Thread reader;

	private EventStreamClient(HttpResponse<Stream<String>> response) {
		this.response = response;
		this.reader = new Thread(this::read, "event-stream-client");
		this.reader.setDaemon(true);
		this.reader.start();
	}

	static EventStreamClient open(URI uri, @Nullable String lastEventId) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
		if (lastEventId != null) {
			request.header("Last-Event-ID", lastEventId);
		}
		try {
			return new EventStreamClient(
					HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofLines()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private void read() {
		String id = null;
		String name = "message";
		StringBuilder data = new StringBuilder();
		try (Stream<String> lines = this.response.body()) {
			for (String line : (Iterable<String>) lines::iterator) {
				if (line.isEmpty()) {
					if (!data.isEmpty()) {
						this.events.add(new Event(id, name, data.toString()));
					}
					name = "message";
					data.setLength(0);
				}
				else if (line.startsWith(":")) {
					this.comments.add(line.substring(1));
				}
				else if (line.startsWith("id:")) {
					id = line.substring(3).strip();
				}
				else if (line.startsWith("event:")) {
					name = line.substring(6).strip();
				}
				else if (line.startsWith("data:")) {
					data.append(data.isEmpty() ? "" : "\n").append(line.substring(5).strip());
				}
			}
		}
		catch (RuntimeException ex) {
			// The stream was closed under us.
		}
		this.ended = true;
	}

	int status() {
		return this.response.statusCode();
	}

	HttpResponse<Stream<String>> response() {
		return this.response;
	}

	/** The next event, waiting at most {@code timeout}; {@code null} when none came. */
	@Nullable Event next(Duration timeout) throws InterruptedException {
		return this.events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	/** The next event that satisfies {@code wanted}, skipping others. */
	Event next(java.util.function.Predicate<Event> wanted, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			Event event = this.events.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000),
					TimeUnit.MILLISECONDS);
			if (event != null && wanted.test(event)) {
				return event;
			}
		}
		throw new AssertionError("No such event within " + timeout);
	}

	List<String> comments() {
		return this.comments;
	}

	/** Whether the server ended the stream. */
	boolean ended() {
		return this.ended;
	}

	@Override
	public void close() {
		this.reader.interrupt();
		try {
			this.response.body().close();
		}
		catch (RuntimeException ex) {
			// Already closed.
		}
	}

}
