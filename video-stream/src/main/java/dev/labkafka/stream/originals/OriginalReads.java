package dev.labkafka.stream.originals;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import dev.labkafka.stream.media.SourceVideos;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Where this worker's programs read an original, one address per job, and how many bytes
 * of it each job read. A reading is open while its job runs; the endpoint counts the
 * bytes it sends for it.
 */
@Component
public class OriginalReads {

	private final Map<String, LongAdder> open = new ConcurrentHashMap<>();

	private final SourceVideos sources;

	private volatile int port = -1;

	OriginalReads(SourceVideos sources) {
		this.sources = sources;
	}

	@EventListener
	void onServerStarted(WebServerInitializedEvent event) {
		if (event.getApplicationContext().getServerNamespace() == null) {
			this.port = event.getWebServer().getPort();
		}
	}

	/** Whether this worker serves HTTP, so that its programs can read originals. */
	public boolean available() {
		return this.port > 0;
	}

	/**
	 * Starts reading the video's original.
	 * @throws IllegalStateException when this worker serves no HTTP (yet)
	 */
	public Reading start(String videoId) {
		if (this.port <= 0) {
			throw new IllegalStateException("The worker's web server has not started: originals cannot be read");
		}
		String job = UUID.randomUUID().toString();
		LongAdder bytes = new LongAdder();
		this.open.put(job, bytes);
		return new Reading("http://127.0.0.1:" + this.port + OriginalEndpoint.PATH + videoId + "?job=" + job, job,
				bytes, this.sources.length(videoId).isPresent());
	}

	/** The counter of an open reading, or null when there is none under that name. */
	@Nullable LongAdder counter(@Nullable String job) {
		return (job != null) ? this.open.get(job) : null;
	}

	/**
	 * One job's reading of an original.
	 */
	public final class Reading implements AutoCloseable {

		private final String url;

		private final String job;

		private final LongAdder bytes;

		private final boolean stored;

		private Reading(String url, String job, LongAdder bytes, boolean stored) {
			this.url = url;
			this.job = job;
			this.bytes = bytes;
			this.stored = stored;
		}

		/** Whether the original's bytes were stored when the reading started. */
		public boolean stored() {
			return this.stored;
		}

		/** The address the job's programs read the original from. */
		public String url() {
			return this.url;
		}

		/** The bytes of the original sent to this job so far. */
		public long bytesRead() {
			return this.bytes.sum();
		}

		/** Ends the reading: its address answers no more. */
		@Override
		public void close() {
			OriginalReads.this.open.remove(this.job);
		}

	}

}
