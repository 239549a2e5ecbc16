package dev.labkafka.api.video;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.labkafka.api.video.VideoExceptions.NoEventStream;
import dev.labkafka.messages.ProgressMessage;
import dev.labkafka.messages.Topics;
import org.bson.types.ObjectId;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DataAccessException;
import org.springframework.http.MediaType;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The open event streams of this API instance, and what they are told. Every change to a
 * video reaches every instance on {@link Topics#PROGRESS} (each instance reads all of it,
 * in a consumer group of its own); the instance reads the video's document and sends it,
 * as the REST API shows it, to the streams that follow that video or all videos.
 * <p>
 * An event's id is the time of the video's last change ({@code updatedAt}, in
 * milliseconds). A client that reconnects with it as {@code Last-Event-ID} first gets
 * what changed since: the video's state if it is newer, or, on the stream of all videos,
 * every video changed since then (a few seconds more, for clocks that differ). The events
 * carry states, not steps, so the latest state stands for any missed in between.
 * <p>
 * The streams are bounded: at most {@code video.api.events.max-streams} at once, each for
 * {@code video.api.events.timeout}, with a heartbeat that also finds clients that went
 * away. On shutdown they are completed first, so that they do not hold a graceful
 * shutdown.
 */
@Component
class VideoEvents implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(VideoEvents.class);

	/** The listener's id in Spring Kafka's registry. */
	static final String LISTENER_ID = "video-events";

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

	/** How often the progress topic's listener is started again when it could not be. */
	static final Duration LISTENER_RETRY = Duration.ofSeconds(10);

	/** The most videos a replay sends. */
	static final int MAX_REPLAY = 500;

	/** How many videos' last sent states are kept, to send no state twice. */
	private static final int SENT_STATES = 10_000;

	private final Map<SseEmitter, Stream> streams = new ConcurrentHashMap<>();

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

	private final Videos videos;

	private final VideoApiSettings settings;

	private final TaskScheduler scheduler;

	private volatile boolean running;

	private final ObjectProvider<KafkaListenerEndpointRegistry> listeners;

	private @Nullable ScheduledFuture<?> heartbeats;

	private @Nullable ScheduledFuture<?> listening;

	private volatile boolean listenerFailed;

	VideoEvents(Videos videos, VideoApiSettings settings, TaskScheduler scheduler,
			ObjectProvider<KafkaListenerEndpointRegistry> listeners) {
		this.videos = videos;
		this.settings = settings;
		this.scheduler = scheduler;
		this.listeners = listeners;
	}

	/**
	 * A new stream of the changes to {@code video}, or to all videos when it is
	 * {@code null}.
	 * @param video the video to follow (it exists), or {@code null} for all
	 * @param lastEventId the last event the client saw, when it reconnects
	 */
	SseEmitter open(@Nullable Video video, @Nullable Instant lastEventId) {
		if (!this.running) {
			throw new NoEventStream("This instance is shutting down; connect again.");
		}
		int max = this.settings.events().maxStreams();
		if (this.count.incrementAndGet() > max) {
			this.count.decrementAndGet();
			throw new NoEventStream("This instance has " + max + " event streams open, its most; try again shortly.");
		}
		SseEmitter emitter = new SseEmitter(this.settings.events().timeout().toMillis());
		Stream stream = new Stream(emitter, (video != null) ? video.id() : null);
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
					stream.send(() -> videoEvent(video));
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

	private void replay(Stream stream, Instant lastEventId) {
		List<Video> changed = this.videos.changedSince(lastEventId.minus(CLOCK_SKEW), MAX_REPLAY + 1);
		if (changed.size() > MAX_REPLAY) {
			stream.send(() -> SseEmitter.event().name(RELOAD_EVENT).data("{}", MediaType.APPLICATION_JSON));
			return;
		}
		changed.forEach((video) -> stream.send(() -> videoEvent(video)));
	}

	private void close(SseEmitter emitter) {
		if (this.streams.remove(emitter) != null) {
			this.count.decrementAndGet();
		}
	}

	/** How many streams are open: for tests and metrics. */
	int openStreams() {
		return this.streams.size();
	}

	/**
	 * A video changed somewhere: its followers get its state, read now from its document.
	 * No document is read when nobody follows it.
	 */
	@KafkaListener(id = LISTENER_ID, idIsGroup = false, topics = Topics.PROGRESS,
			containerFactory = "progressListenerContainerFactory", autoStartup = "false")
	void onProgress(ProgressMessage change) {
		ObjectId id;
		try {
			id = new ObjectId(change.id());
		}
		catch (IllegalArgumentException ex) {
			logger.warn("Ignored a progress message about '{}': not a video id", change.id());
			return;
		}
		List<Stream> followers = this.streams.values().stream().filter((stream) -> stream.follows(id)).toList();
		if (followers.isEmpty()) {
			return;
		}
		Supplier<SseEmitter.SseEventBuilder> event;
		try {
			Optional<Video> video = ProgressMessage.DELETED.equals(change.change()) ? Optional.empty()
					: this.videos.findById(id);
			if (video.isPresent()) {
				VideoResponse state = VideoResponse.of(video.get(), this.settings);
				if (state.equals(this.sent.put(id, state))) {
					return;
				}
				event = () -> videoEvent(video.get().updatedAt(), state);
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

	private SseEmitter.SseEventBuilder videoEvent(Video video) {
		return videoEvent(video.updatedAt(), VideoResponse.of(video, this.settings));
	}

	private static SseEmitter.SseEventBuilder videoEvent(Instant changed, VideoResponse state) {
		return SseEmitter.event()
			.id(Long.toString(changed.toEpochMilli()))
			.name(VIDEO_EVENT)
			.data(state, MediaType.APPLICATION_JSON);
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
		this.running = true;
		this.heartbeats = this.scheduler.scheduleWithFixedDelay(this::heartbeat, this.settings.events().heartbeat());
		this.listening = this.scheduler.scheduleWithFixedDelay(this::listen, LISTENER_RETRY);
	}

	/**
	 * Starts reading the progress topic, and tries again later when it cannot: the API
	 * starts and serves whether or not Kafka can be reached (its consumer cannot even be
	 * made while Kafka's host name does not resolve).
	 */
	private void listen() {
		MessageListenerContainer container = this.listeners.getObject().getListenerContainer(LISTENER_ID);
		if (container == null || container.isRunning()) {
			return;
		}
		try {
			container.start();
			if (this.listenerFailed) {
				logger.info("Reading the progress topic: live events are back");
				this.listenerFailed = false;
			}
		}
		catch (RuntimeException ex) {
			if (!this.listenerFailed) {
				logger.warn("Cannot read the progress topic yet, so no live events (trying again every {} s): {}",
						LISTENER_RETRY.toSeconds(), NestedExceptionUtils.getMostSpecificCause(ex).toString());
			}
			this.listenerFailed = true;
		}
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
		if (this.listening != null) {
			this.listening.cancel(false);
		}
		Set<SseEmitter> open = Set.copyOf(this.streams.keySet());
		open.forEach(SseEmitter::complete);
		if (!open.isEmpty()) {
			logger.info("Closed {} event streams", open.size());
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** One client's stream: of one video, or of all when {@code video} is null. */
	private record Stream(SseEmitter emitter, @Nullable ObjectId video) {

		boolean follows(ObjectId id) {
			return this.video == null || this.video.equals(id);
		}

		/**
		 * Sends the event (a builder of its own: a builder is spent once built); a client
		 * that went away is dropped.
		 */
		void send(Supplier<SseEmitter.SseEventBuilder> event) {
			try {
				this.emitter.send(event.get());
			}
			catch (IOException | IllegalStateException ex) {
				this.emitter.completeWithError(ex);
			}
		}

	}

}
