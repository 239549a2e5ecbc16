package dev.labkafka.api.events;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.labkafka.api.VideoApiSettings;
import dev.labkafka.api.catalog.VideoCatalog;
import dev.labkafka.api.catalog.VideoResponse;
import dev.labkafka.api.problems.ApiProblem;
import dev.labkafka.messages.ProgressMessage;
import dev.labkafka.messages.Topics;
import dev.labkafka.videos.Video;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.bson.types.ObjectId;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.http.MediaType;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The open event streams of this API instance, and what they are told. Every change to a
 * video reaches every instance on {@link Topics#PROGRESS} ({@link ProgressListener}); the
 * instance reads the video's document once and queues its state, as the REST API shows
 * it, on the streams that follow that video or all videos. Each stream writes to its
 * client on a writer of its own ({@link EventStream}), so a client that stops reading
 * holds up nobody else.
 * <p>
 * An event's id is the time of the video's last change ({@code updatedAt}, in
 * milliseconds). A client that reconnects with it as {@code Last-Event-ID} first gets
 * what changed since: the video's state if it is newer, or, on the stream of all videos,
 * every video changed since then (a few seconds more, for clocks that differ). The events
 * carry states, not steps, so the latest state stands for any missed in between.
 * <p>
 * The streams are bounded: at most {@code video.api.events.max-streams} at once, each for
 * {@code video.api.events.timeout}, each holding at most {@code video.api.events.buffer}
 * unread events, with a heartbeat that also finds clients that went away. On shutdown
 * they are completed first, so that they do not hold a graceful shutdown.
 */
@Component
class VideoEvents implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(VideoEvents.class);

	/** A video's state, as its JSON. */
	static final String VIDEO_EVENT = "video";

	/** A video was deleted; the data is its id. */
	static final String DELETED_EVENT = "deleted";

	/**
	 * More changed since the client's {@code Last-Event-ID} than a replay sends: the
	 * client should read the list again.
	 */
	static final String RELOAD_EVENT = "reload";

	/** The comment a stream starts with. */
	static final String OPENED = "open";

	/** How far back a replay reaches beyond the client's last event. */
	static final Duration CLOCK_SKEW = Duration.ofSeconds(5);

	/** The most videos a replay sends (and at most half a stream's buffer). */
	static final int MAX_REPLAY = 500;

	/** How many videos' last sent states are kept, to send no state twice. */
	private static final int SENT_STATES = 10_000;

	private final Map<SseEmitter, EventStream> streams = new ConcurrentHashMap<>();

	private final AtomicInteger count = new AtomicInteger();

	/**
	 * The state each video was last sent in: several changes read after one another can
	 * find the same state, which is sent once.
	 */
	private final Map<ObjectId, VideoResponse> sent = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<ObjectId, VideoResponse> eldest) {
			return size() > SENT_STATES;
		}

	});

	private final VideoCatalog catalog;

	private final VideoApiSettings settings;

	private final TaskScheduler scheduler;

	/**
	 * The streams' writers: one thread at most per stream, while it has events to write.
	 */
	private final ThreadPoolTaskExecutor writers = new ThreadPoolTaskExecutor();

	private volatile boolean running;

	private @Nullable ScheduledFuture<?> heartbeats;

	VideoEvents(VideoCatalog catalog, VideoApiSettings settings, TaskScheduler scheduler, MeterRegistry registry) {
		this.catalog = catalog;
		Gauge.builder("videos.event.streams", this, VideoEvents::openStreams)
			.description("Event streams open on this instance")
			.register(registry);
		this.settings = settings;
		this.scheduler = scheduler;
		this.writers.setThreadNamePrefix("event-writer-");
		this.writers.setCorePoolSize(0);
		// Room for the writers of streams ended while a write to a stalled client was in
		// hand: each ends once the write fails (the connection's timeout).
		this.writers.setMaxPoolSize(2 * settings.events().maxStreams());
		this.writers.setWaitForTasksToCompleteOnShutdown(true);
		this.writers.setQueueCapacity(0);
		this.writers.setKeepAliveSeconds(60);
		this.writers.setDaemon(true);
	}

	/**
	 * A new stream of the changes to {@code video}, or to all videos when it is
	 * {@code null}.
	 * @param video the video to follow (it exists), or {@code null} for all
	 * @param lastEventId the last event the client saw, when it reconnects
	 */
	SseEmitter open(@Nullable Video video, @Nullable Instant lastEventId) {
		if (!this.running) {
			throw ApiProblem.SHUTTING_DOWN.exception();
		}
		int max = this.settings.events().maxStreams();
		if (this.count.incrementAndGet() > max) {
			this.count.decrementAndGet();
			throw ApiProblem.TOO_MANY_EVENT_STREAMS.exception(max);
		}
		SseEmitter emitter = new SseEmitter(this.settings.events().timeout().toMillis());
		EventStream stream = new EventStream(emitter, (video != null) ? video.id() : null,
				this.settings.events().buffer(), this.writers, () -> forget(emitter));
		this.streams.put(emitter, stream);
		emitter.onCompletion(() -> close(emitter));
		emitter.onTimeout(emitter::complete);
		emitter.onError((ex) -> close(emitter));
		try {
			Instant opened;
			if (video != null) {
				// Two changes can share a millisecond: the same time sends the state
				// again.
				if (lastEventId == null || !video.updatedAt().isBefore(lastEventId)) {
					VideoResponse state = VideoResponse.of(video, this.settings);
					stream.send(() -> videoEvent(video.updatedAt(), state));
				}
				opened = video.updatedAt();
			}
			else {
				if (lastEventId != null) {
					replay(stream, lastEventId);
				}
				opened = Instant.now();
			}
			// The head goes out now, not with the first event, and a quiet stream has an
			// id to reconnect with: an id without data is no event, but EventSource keeps
			// it.
			stream.send(() -> SseEmitter.event().id(Long.toString(opened.toEpochMilli())).comment(OPENED));
		}
		catch (RuntimeException ex) {
			// The client gets a problem instead of the stream (MongoDB is down): free its
			// place.
			close(emitter);
			throw ex;
		}
		return emitter;
	}

	private void replay(EventStream stream, Instant lastEventId) {
		int most = Math.min(MAX_REPLAY, this.settings.events().buffer() / 2);
		List<Video> changed = this.catalog.changedSince(lastEventId.minus(CLOCK_SKEW), most + 1);
		if (changed.size() > most) {
			stream.send(() -> SseEmitter.event().name(RELOAD_EVENT).data("{}", MediaType.APPLICATION_JSON));
			return;
		}
		for (Video video : changed) {
			VideoResponse state = VideoResponse.of(video, this.settings);
			stream.send(() -> videoEvent(video.updatedAt(), state));
		}
	}

	private void close(SseEmitter emitter) {
		EventStream stream = this.streams.get(emitter);
		if (stream != null) {
			stream.close();
		}
	}

	/** The stream is over: it holds no place any more. */
	private void forget(SseEmitter emitter) {
		if (this.streams.remove(emitter) != null) {
			this.count.decrementAndGet();
		}
	}

	/** How many streams are open ({@code videos_event_streams}). */
	int openStreams() {
		return this.streams.size();
	}

	/**
	 * A video changed somewhere: its followers get its state, read now from its document.
	 * No document is read when nobody follows it.
	 */
	void changed(ProgressMessage change) {
		ObjectId id;
		try {
			id = new ObjectId(change.id());
		}
		catch (IllegalArgumentException ex) {
			logger.warn("Ignored a progress message about '{}': not a video id", change.id());
			return;
		}
		List<EventStream> followers = this.streams.values().stream().filter((stream) -> stream.follows(id)).toList();
		if (followers.isEmpty()) {
			return;
		}
		Supplier<SseEmitter.SseEventBuilder> event;
		try {
			Optional<Video> video = ProgressMessage.DELETED.equals(change.change()) ? Optional.empty()
					: this.catalog.lookUp(id);
			if (video.isPresent()) {
				VideoResponse state = VideoResponse.of(video.get(), this.settings);
				if (state.equals(this.sent.put(id, state))) {
					return;
				}
				Instant changedAt = video.get().updatedAt();
				event = () -> videoEvent(changedAt, state);
			}
			else {
				long deletedAt = System.currentTimeMillis();
				this.sent.remove(id);
				event = () -> deletedEvent(id, deletedAt);
			}
		}
		catch (DataAccessException ex) {
			logger.warn("Could not read video {} to tell its followers: {}", id, ex.getMostSpecificCause().toString());
			return;
		}
		followers.forEach((stream) -> stream.send(event));
	}

	private static SseEmitter.SseEventBuilder videoEvent(@Nullable Instant changed, VideoResponse state) {
		long id = (changed != null) ? changed.toEpochMilli() : 0;
		return SseEmitter.event().id(Long.toString(id)).name(VIDEO_EVENT).data(state, MediaType.APPLICATION_JSON);
	}

	private static SseEmitter.SseEventBuilder deletedEvent(ObjectId id, long at) {
		return SseEmitter.event()
			.id(Long.toString(at))
			.name(DELETED_EVENT)
			.data(Map.of("id", id.toHexString()), MediaType.APPLICATION_JSON);
	}

	private void heartbeat() {
		this.streams.values().forEach((stream) -> stream.send(() -> SseEmitter.event().comment("heartbeat")));
	}

	@Override
	public void start() {
		this.writers.initialize();
		this.running = true;
		this.heartbeats = this.scheduler.scheduleWithFixedDelay(this::heartbeat, this.settings.events().heartbeat());
	}

	/**
	 * Completes every stream (their clients reconnect, to another instance or to this one
	 * once it is back), so that a graceful shutdown waits for no stream. Runs before the
	 * web server stops taking requests.
	 */
	@Override
	public void stop() {
		this.running = false;
		if (this.heartbeats != null) {
			this.heartbeats.cancel(false);
		}
		List<EventStream> open = List.copyOf(this.streams.values());
		open.forEach(EventStream::end);
		if (!open.isEmpty()) {
			logger.info("Closed {} event streams", open.size());
		}
		// Lets the writers end their streams, without waiting for them.
		this.writers.setAwaitTerminationSeconds(0);
		this.writers.shutdown();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
