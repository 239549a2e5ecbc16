package dev.labkafka.stream.messaging;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import dev.labkafka.kafkaadmin.SharedAdmin;
import dev.labkafka.messages.Topics;
import dev.labkafka.messages.VideoMessage;
import dev.labkafka.stream.media.MediaTools;
import dev.labkafka.stream.progress.VideoProgress;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.support.serializer.JacksonJsonDeserializer;
import org.springframework.stereotype.Component;

/**
 * When the worker is ready to take work at once: every consumer thread has joined its
 * group, and, the first time, the renditions group has settled, every partition held by a
 * consumer (the {@code consumers} health component, in the readiness group). Joined is
 * not enough: a cooperative rebalance moves partitions in two steps, and a first video
 * sent between them had its four renditions made one after the other by the one consumer
 * that still held partitions (12.5 s instead of 3.5, seen once in five starts). The group
 * is read in the background, one read at a time, started by a health check that finds the
 * worker joined but the group not known to have settled: a read is a few admin calls (up
 * to 4 s when the coordinator is slow to answer), which a probe waits for half a second
 * at most; then it reports what the last read found. If the group has still not settled a
 * minute after every consumer joined, that is said once, as a warning. And what the first
 * video would otherwise pay for is done before Spring Boot reports the application ready:
 * the first transactional producer (the fan-out's) with the renditions topic's metadata,
 * its offset commit, the MongoDB connections, and whether ffprobe is there; each on its
 * own, so that one that fails does not keep the others from being done.
 */
@Component("consumers")
class Readiness implements ConsumerAwareRebalanceListener, HealthIndicator, ApplicationRunner {

	private static final Logger logger = LoggerFactory.getLogger(Readiness.class);

	/** How long joined but unsettled before it is said, once, as a warning. */
	private static final Duration UNSETTLED_WARNING = Duration.ofSeconds(60);

	private static final long NEVER = Long.MIN_VALUE;

	/** How long a health check waits for the read of the group it started. */
	private static final Duration READ_WAIT = Duration.ofMillis(500);

	/** The last read of the group started. */
	private volatile CountDownLatch read = new CountDownLatch(0);

	/** How long the worker waits for the offset commit's warm-up before it goes on. */
	static final Duration OFFSET_COMMIT_WARM_UP = Duration.ofSeconds(3);

	/**
	 * How long the worker waits for the progress producer's warm-up: its metadata may
	 * wait up to the producer's {@code max.block.ms}.
	 */
	static final Duration PROGRESS_PRODUCER_WARM_UP = Duration.ofSeconds(3);

	/** Consumers that have been through a rebalance, by identity. */
	private final Set<Consumer<?, ?>> joined = Collections
		.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

	private final KafkaListenerEndpointRegistry listeners;

	private final KafkaTemplate<Object, Object> kafka;

	private final VideoProgress progress;

	private final MediaTools media;

	private final ApplicationEventPublisher events;

	/** Whether every partition of the renditions topic is held by a consumer. */
	private final BooleanSupplier renditionsSettled;

	/** Whether the renditions group has settled once. */
	private volatile boolean settled;

	/** Runs the reads of the renditions group, away from the health checks. */
	private final Executor reads;

	/** Whether a read of the renditions group is under way: one at a time. */
	private final AtomicBoolean reading = new AtomicBoolean();

	/** When a health check first found every consumer joined, the group unsettled. */
	private final AtomicLong unsettledSince = new AtomicLong(NEVER);

	private final AtomicBoolean warnedUnsettled = new AtomicBoolean();

	/** What the last read of the renditions group found, for the warning. */
	private volatile String lastRead = "not read yet";

	@Autowired
	Readiness(KafkaListenerEndpointRegistry listeners, KafkaTemplate<Object, Object> kafka, VideoProgress progress,
			MediaTools media, ApplicationEventPublisher events, SharedAdmin admin) {
		this(listeners, kafka, progress, media, events, () -> RenditionsGroup.settled(admin.get()),
				daemon("renditions-group-readiness"));
	}

	/**
	 * @param renditionsSettled whether every partition of the renditions topic is held by
	 * a consumer
	 * @param reads runs each read of {@code renditionsSettled}
	 */
	Readiness(KafkaListenerEndpointRegistry listeners, KafkaTemplate<Object, Object> kafka, VideoProgress progress,
			MediaTools media, ApplicationEventPublisher events, BooleanSupplier renditionsSettled, Executor reads) {
		this.listeners = listeners;
		this.events = events;
		this.renditionsSettled = renditionsSettled;
		this.reads = reads;
		this.kafka = kafka;
		this.progress = progress;
		this.media = media;
	}

	/** Called after every rebalance, even when the consumer got no partitions. */
	@Override
	public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
		this.joined.add(consumer);
		rebalanced(consumer);
	}

	@Override
	public void onPartitionsRevokedAfterCommit(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
		rebalanced(consumer);
	}

	@Override
	public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
		rebalanced(consumer);
	}

	private void rebalanced(Consumer<?, ?> consumer) {
		if (Topics.RENDITIONS_GROUP.equals(consumer.groupMetadata().groupId())) {
			this.events.publishEvent(new RenditionsRebalanced());
		}
	}

	@Override
	public Health health() {
		int expected = this.listeners.getListenerContainers()
			.stream()
			.filter(MessageListenerContainer::isRunning)
			.mapToInt(Readiness::consumers)
			.sum();
		int joined = this.joined.size();
		boolean ready = joined >= expected && settled();
		return (ready ? Health.up() : Health.outOfService()).withDetail("consumers", expected)
			.withDetail("joined", joined)
			.withDetail("settled", this.settled)
			.build();
	}

	/**
	 * Whether the renditions group has settled once, as far as the reads made so far
	 * tell; if not, a read is started, unless one is under way.
	 */
	private boolean settled() {
		if (!this.settled) {
			warnIfUnsettledLong();
			if (this.reading.compareAndSet(false, true)) {
				CountDownLatch read = new CountDownLatch(1);
				this.read = read;
				try {
					this.reads.execute(() -> readGroup(read));
				}
				catch (RejectedExecutionException ex) {
					this.reading.set(false);
					read.countDown();
				}
			}
			// A probe that started a read (or came during one) gets its answer if it
			// comes soon: a read takes a few round trips, and a probe asked once, after
			// everything joined, must not answer from before.
			try {
				this.read.await(READ_WAIT.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		return this.settled;
	}

	private void readGroup(CountDownLatch read) {
		try {
			if (this.renditionsSettled.getAsBoolean()) {
				this.settled = true;
			}
			else {
				this.lastRead = "not every partition of " + Topics.RENDITIONS + " held by a consumer";
			}
		}
		catch (RuntimeException ex) {
			if (ex.getCause() instanceof AuthorizationException) {
				// Not allowed to describe the group: readiness cannot wait for it.
				logger.warn("Not waiting for the renditions group to settle: {}", ex.getCause().toString());
				this.settled = true;
			}
			else {
				logger.debug("Could not read the renditions group: {}", ex.toString());
				this.lastRead = "could not read it: " + ex;
			}
		}
		finally {
			this.reading.set(false);
			read.countDown();
		}
	}

	private void warnIfUnsettledLong() {
		long now = System.nanoTime();
		this.unsettledSince.compareAndSet(NEVER, now);
		if (now - this.unsettledSince.get() >= UNSETTLED_WARNING.toNanos()
				&& this.warnedUnsettled.compareAndSet(false, true)) {
			logger.warn("Every consumer joined {} s ago, but the renditions group has not settled (last read: {}): "
					+ "not ready until it has", UNSETTLED_WARNING.toSeconds(), this.lastRead);
		}
	}

	/** Runs each task on a thread of its own, which does not keep the JVM running. */
	private static Executor daemon(String name) {
		return (task) -> {
			Thread thread = new Thread(task, name);
			thread.setDaemon(true);
			thread.start();
		};
	}

	private static int consumers(MessageListenerContainer container) {
		return (container instanceof ConcurrentMessageListenerContainer<?, ?> concurrent) ? concurrent.getConcurrency()
				: 1;
	}

	/**
	 * A fan-out's offset commit, in a transaction that is then aborted, so that nothing
	 * is committed: the first fan-out's took 270 ms more than the next ones' (measured),
	 * as the producer finds the group's coordinator and the broker runs that path for the
	 * first time. The worker waits for it {@link #OFFSET_COMMIT_WARM_UP} at most: the
	 * producer's own calls may each wait up to its {@code max.block.ms} (a minute by
	 * default), for instance while the group's coordinator cannot be found.
	 */
	private void warmUpOffsetCommit() {
		try (Producer<Object, Object> producer = this.kafka.getProducerFactory().createProducer()) {
			producer.beginTransaction();
			try {
				producer.sendOffsetsToTransaction(
						Map.of(new TopicPartition(Topics.VIDEOS, 0), new OffsetAndMetadata(0)),
						new ConsumerGroupMetadata(Topics.FAN_OUT_GROUP));
			}
			finally {
				producer.abortTransaction();
			}
		}
	}

	@Override
	public void run(ApplicationArguments args) {
		// Whether videos are probed: found out (and said, if not) now rather than on the
		// first upload.
		this.media.probeAvailable();
		// The topics a fan-out writes to: the first send to a topic the producer has no
		// metadata for waits for it (100 ms, measured).
		warmUp("the fan-out's topics' metadata", () -> this.kafka.executeInTransaction((operations) -> {
			operations.partitionsFor(Topics.PROGRESS);
			return operations.partitionsFor(Topics.RENDITIONS);
		}));
		warmUpWithin(OFFSET_COMMIT_WARM_UP, "the fan-out's offset commit", this::warmUpOffsetCommit);
		// The fan-out's and the renditions' reads and changes, on a video that does not
		// exist.
		warmUp("the fan-out's and the renditions' reads and changes", this.progress::warmUp);
		warmUpWithin(PROGRESS_PRODUCER_WARM_UP, "the progress messages' producer", this.progress::warmUpEvents);
		String nobody = new ObjectId().toHexString();
		warmUp("the video messages' reader", () -> {
			try (JacksonJsonDeserializer<VideoMessage> messages = new JacksonJsonDeserializer<>(VideoMessage.class)) {
				messages.deserialize(Topics.VIDEOS,
						("{\"id\":\"" + nobody + "\",\"url\":\"http://warm-up\",\"scale\":0}").getBytes());
			}
		});
	}

	/**
	 * Runs one warm-up: one that fails is logged, and the others are run all the same
	 * (each spares the first video something of its own).
	 */
	private static void warmUp(String what, Runnable step) {
		try {
			step.run();
		}
		catch (RuntimeException ex) {
			logger.info("Could not warm up {} yet: {}", what, ex.toString());
		}
	}

	/**
	 * Runs one warm-up, waiting for it {@code timeout} at most: after that, it goes on in
	 * the background, and the worker may report ready meanwhile.
	 */
	private static void warmUpWithin(Duration timeout, String what, Runnable step) {
		CompletableFuture<Void> done = CompletableFuture.runAsync(() -> warmUp(what, step), daemon("warm-up"));
		try {
			done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			logger.info("Could not warm up {} within {} ms: going on without it", what, timeout.toMillis());
		}
		catch (ExecutionException ex) {
			logger.info("Could not warm up {} yet: {}", what, ex.getCause().toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
