package dev.labkafka.stream.fanout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntToLongFunction;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import dev.labkafka.kafkaadmin.SharedAdmin;
import dev.labkafka.messages.Topics;
import dev.labkafka.stream.messaging.RenditionsGroup;
import dev.labkafka.stream.messaging.RenditionsRebalanced;
import jakarta.annotation.PreDestroy;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Chooses the partitions of a video's rendition messages so that they run in parallel and
 * the load spreads evenly.
 * <p>
 * The renditions of one video go to partitions of different consumers of the renditions
 * group, so that they run at the same time on as many consumers as there are; across
 * videos, the consumers and each consumer's partitions are taken in turn, so that all get
 * the same share of the work. The turns are one sequence for every worker
 * ({@link RenditionTurns}), so the shares stay equal however many workers fan out. Which
 * scale takes which of a video's turns moves on by one each time the turns have gone
 * round the consumers, so that each consumer gets every scale alike (a 1080 rendition
 * costs several times a 360 one when ffmpeg makes them). Which consumer holds which
 * partition is read from the group (Kafka's admin API) in the background, again every few
 * seconds and at once after each rebalance of the group, so that a fan-out waits for it
 * only right after a rebalance (a read takes a few round trips to the group's
 * coordinator: 170 ms of a warm fan-out's 420 ms, measured). The cooperative sticky
 * assignor the consumers use gives no pattern to rely on: consumers that joined one after
 * the other may hold runs of consecutive partitions. Hashing keys instead would often put
 * two renditions of a video on one partition, where they would run one after the other.
 * <p>
 * When the group cannot be read (no consumer has joined yet, or the admin call fails), or
 * its consumers do not hold every partition (a cooperative rebalance moves partitions in
 * two steps: taken from some consumers, then given to others), consecutive partitions are
 * taken in turn, so that no partition is left out while a worker joins.
 * <p>
 * A read that was under way when the group went through a rebalance may show the
 * assignment from before it: it is not kept (a fan-out that made it may still use it
 * once), so that the read after the rebalance is not put off by the 5 s a read is kept.
 */
@Component
class RenditionPartitions {

	private static final Logger logger = LoggerFactory.getLogger(RenditionPartitions.class);

	/** How long a read of the group's assignment is used before it is read again. */
	private static final Duration FRESH_FOR = Duration.ofSeconds(5);

	/** How long a read that shows no consumer, or not every partition held, is used. */
	private static final Duration UNSETTLED_FOR = Duration.ofMillis(500);

	/**
	 * The partitions of the renditions topic, as the last fan-out found them (its
	 * producer's metadata): whether a read shows every partition held is told against
	 * them, for a fan-out and for the reads in the background alike.
	 */
	private volatile int partitions = Topics.RENDITIONS_PARTITIONS;

	private final IntToLongFunction turns;

	private final Supplier<List<List<Integer>>> assignment;

	private volatile @Nullable Snapshot snapshot;

	/**
	 * How many rebalances the group has been through: a read is kept only if there was
	 * none since it started.
	 */
	private final AtomicLong generation = new AtomicLong();

	/** Guards the generation's move and the snapshot's, so that they go together. */
	private final Object keeping = new Object();

	/** Reads the assignment when it is due, or nothing: then it is read when needed. */
	private final @Nullable ScheduledExecutorService refresher;

	@Autowired
	RenditionPartitions(SharedAdmin admin, RenditionTurns turns) {
		this(() -> RenditionsGroup.assignment(admin.get()), turns::take, true);
	}

	/**
	 * @param assignment the partitions each consumer of the renditions group holds, one
	 * list per consumer, read when a fan-out needs it
	 * @param turns takes that many turns of the shared sequence and gives the first
	 */
	RenditionPartitions(Supplier<List<List<Integer>>> assignment, IntToLongFunction turns) {
		this(assignment, turns, false);
	}

	/**
	 * @param inBackground whether the assignment is read in the background, as the worker
	 * does, or only when a fan-out needs it
	 */
	RenditionPartitions(Supplier<List<List<Integer>>> assignment, IntToLongFunction turns, boolean inBackground) {
		this.turns = turns;
		this.assignment = assignment;
		this.refresher = inBackground ? Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "rendition-partitions");
			thread.setDaemon(true);
			return thread;
		}) : null;
		if (this.refresher != null) {
			this.refresher.scheduleWithFixedDelay(inBackground(() -> {
				if (due(this.snapshot)) {
					readAndKeep();
				}
			}), 0, UNSETTLED_FOR.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	/**
	 * Forgets the assignment read: the group went through a rebalance. It is read again
	 * at once in the background, or by the next fan-out, whichever comes first. Called in
	 * a consumer's rebalance callback, also while the worker shuts down: once the
	 * background has stopped, nothing is read there, and nothing thrown into Kafka's
	 * callback.
	 */
	@EventListener
	void onRebalance(RenditionsRebalanced rebalance) {
		synchronized (this.keeping) {
			this.generation.incrementAndGet();
			this.snapshot = null;
		}
		if (this.refresher != null && !this.refresher.isShutdown()) {
			try {
				this.refresher.execute(inBackground(() -> {
					if (this.snapshot == null) {
						readAndKeep();
					}
				}));
			}
			catch (RejectedExecutionException ex) {
				// Stopped meanwhile: the worker is shutting down.
			}
		}
	}

	/**
	 * The task, with whatever it throws logged: a task scheduled again and again that
	 * throws is never run again, and the assignment would then be read only by fan-outs
	 * that find none. A failed read is logged where it is made; this is for anything else
	 * (an {@link Error} among them).
	 */
	private static Runnable inBackground(Runnable task) {
		return () -> {
			try {
				task.run();
			}
			catch (Throwable ex) {
				logger.warn("Could not refresh the renditions group's assignment", ex);
			}
		};
	}

	@PreDestroy
	void stop() {
		if (this.refresher != null) {
			this.refresher.shutdownNow();
		}
	}

	/**
	 * Partitions for {@code count} renditions of one video on a topic with
	 * {@code partitions}: the {@code i}-th is for the video's {@code i}-th scale.
	 */
	int[] next(int count, int partitions) {
		long start = this.turns.applyAsLong(count);
		this.partitions = partitions;
		Snapshot snapshot = snapshot();
		List<List<Integer>> consumers = snapshot.consumers();
		if (!snapshot.settled(partitions)) {
			// Nobody has joined, or the group is between the two steps of a cooperative
			// rebalance (partitions taken from some consumers, not yet given to others):
			// every partition, in turn.
			return IntStream.range(0, count).map((i) -> (int) Math.floorMod(start + i, partitions)).toArray();
		}
		// The scales move on by one turn each time the turns have gone round the
		// consumers and the scales together (the least common multiple of the two
		// counts).
		int round = Math.multiplyExact(consumers.size() / gcd(consumers.size(), count), count);
		int shift = (int) Math.floorMod(Math.floorDiv(start, round), count);
		return IntStream.range(0, count).map((i) -> {
			long turn = start + (i + shift) % count;
			List<Integer> owned = consumers.get((int) Math.floorMod(turn, consumers.size()));
			return owned.get((int) Math.floorMod(Math.floorDiv(turn, consumers.size()), owned.size()));
		}).toArray();
	}

	private static int gcd(int a, int b) {
		return (b == 0) ? a : gcd(b, a % b);
	}

	/**
	 * The assignment as last read; read now only before the first read in the background
	 * is done, or when there is no background.
	 */
	private Snapshot snapshot() {
		Snapshot current = this.snapshot;
		if (current == null || (this.refresher == null && due(current))) {
			current = readAndKeep();
		}
		return current;
	}

	/**
	 * Reads the assignment, and keeps it unless the group went through a rebalance
	 * meanwhile: then what it shows may be from before the rebalance.
	 * @return what was read, kept or not
	 */
	private Snapshot readAndKeep() {
		long started = this.generation.get();
		Snapshot read = read();
		synchronized (this.keeping) {
			if (this.generation.get() == started) {
				this.snapshot = read;
			}
		}
		return read;
	}

	private boolean due(@Nullable Snapshot snapshot) {
		return snapshot == null || snapshot.isOlderThan(snapshot.settled(this.partitions) ? FRESH_FOR : UNSETTLED_FOR);
	}

	private Snapshot read() {
		try {
			return new Snapshot(System.nanoTime(), this.assignment.get());
		}
		catch (RuntimeException ex) {
			logger.debug("Could not read the renditions group's assignment: {}", ex.toString());
			return new Snapshot(System.nanoTime(), List.of());
		}
	}

	private record Snapshot(long readAt, List<List<Integer>> consumers) {

		/**
		 * Whether the read shows every partition of a topic with {@code partitions} held
		 * by a consumer; see {@link #next}.
		 */
		boolean settled(int partitions) {
			return this.consumers.stream().mapToInt(List::size).sum() >= partitions;
		}

		boolean isOlderThan(Duration age) {
			return System.nanoTime() - this.readAt > age.toNanos();
		}

	}

}
