package dev.labkafka.api.events;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.bson.types.ObjectId;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One client's event stream, of one video or of all: a bounded buffer of the events its
 * client has not read yet, written to the client by a writer of its own, off the thread
 * that tells (the Kafka listener, the heartbeat). A client whose connection stalls holds
 * up its own writer only; once its buffer is full it is disconnected (its stream ends,
 * and its {@code EventSource} reconnects with its {@code Last-Event-ID}, to be told what
 * changed since from MongoDB), so that it never delays the others.
 */
final class EventStream {

	private static final Logger logger = LoggerFactory.getLogger(EventStream.class);

	private final SseEmitter emitter;

	private final @Nullable ObjectId video;

	private final BlockingQueue<Supplier<SseEmitter.SseEventBuilder>> buffer;

	private final Executor writers;

	/** Whether a writer is at work (or about to be): at most one at a time. */
	private final AtomicBoolean writing = new AtomicBoolean();

	/** Whether the stream is over: its client went away, or fell too far behind. */
	private volatile boolean closed;

	/** Told once, when the stream is over. */
	private final Runnable onClose;

	private final AtomicBoolean told = new AtomicBoolean();

	/**
	 * Whether it is to be ended: its client fell too far behind, or the instance stops.
	 * Its writer ends it, after the write in hand: ending it takes the emitter's lock,
	 * which a write to a stalled client holds.
	 */
	private volatile boolean ending;

	/**
	 * @param video the video it follows, or {@code null} for all
	 * @param capacity the most events it holds unread
	 * @param writers where its writer runs
	 * @param onClose told once, as soon as the stream is over (before its last write is
	 * done, if one to a stalled client is in hand)
	 */
	EventStream(SseEmitter emitter, @Nullable ObjectId video, int capacity, Executor writers, Runnable onClose) {
		this.emitter = emitter;
		this.onClose = onClose;
		this.video = video;
		this.buffer = new ArrayBlockingQueue<>(capacity);
		this.writers = writers;
	}

	SseEmitter emitter() {
		return this.emitter;
	}

	boolean follows(ObjectId id) {
		return this.video == null || this.video.equals(id);
	}

	boolean isOpen() {
		return !this.closed;
	}

	/**
	 * Queues the event for the client, never waiting: each is a builder of its own (a
	 * builder is spent once built), made when it is written. A client whose buffer is
	 * full is disconnected instead.
	 */
	void send(Supplier<SseEmitter.SseEventBuilder> event) {
		if (this.closed) {
			return;
		}
		if (!this.buffer.offer(event)) {
			logger.info("Disconnecting an event stream whose client has not read its last {} events",
					this.buffer.size());
			end();
			return;
		}
		write();
	}

	/**
	 * Ends the stream (its client reconnects), without waiting for a write in hand: its
	 * writer ends it after that.
	 */
	void end() {
		this.ending = true;
		close();
		write();
	}

	/**
	 * The stream is over (its client went away, or it completed): nothing more is sent.
	 */
	void close() {
		this.closed = true;
		this.buffer.clear();
		if (this.told.compareAndSet(false, true)) {
			this.onClose.run();
		}
	}

	private void write() {
		if (!this.writing.compareAndSet(false, true)) {
			return;
		}
		try {
			this.writers.execute(this::drain);
		}
		catch (RejectedExecutionException ex) {
			// No writer to be had (the instance stops, or every writer is busy): the
			// stream ends, here, since no write of it is in hand, and its client
			// reconnects.
			close();
			finish(null);
		}
	}

	/**
	 * Writes what is queued, in order, until nothing is; then lets the next one write.
	 */
	private void drain() {
		try {
			while (true) {
				if (this.ending) {
					this.emitter.complete();
					return;
				}
				Supplier<SseEmitter.SseEventBuilder> next = this.buffer.poll();
				if (next == null) {
					this.writing.set(false);
					if (this.buffer.isEmpty() && !this.ending) {
						return;
					}
					if (!this.writing.compareAndSet(false, true)) {
						return;
					}
					continue;
				}
				if (!this.closed) {
					this.emitter.send(next.get());
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// The client went away, or the event could not be written: either way the
			// stream is over, and its client reconnects.
			close();
			finish(ex);
		}
	}

	/** Ends the request, with the error that ended the stream, if any. */
	private void finish(@Nullable Exception error) {
		try {
			if (error != null) {
				this.emitter.completeWithError(error);
			}
			else {
				this.emitter.complete();
			}
		}
		catch (IllegalStateException ended) {
			// The server ended the request already, when it saw the error: nothing is
			// left to end.
		}
	}

}
