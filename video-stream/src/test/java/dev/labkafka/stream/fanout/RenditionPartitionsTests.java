package dev.labkafka.stream.fanout;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntToLongFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import dev.labkafka.stream.messaging.RenditionsRebalanced;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

class RenditionPartitionsTests {

	/** Four consumers that joined one after the other: each holds a run of partitions. */
	static final List<List<Integer>> RUNS = List.of(range(0, 6), range(6, 12), range(12, 18), range(18, 24));

	@Test
	void putsTheRenditionsOfAVideoOnPartitionsOfDistinctConsumers() {
		RenditionPartitions partitions = new RenditionPartitions(() -> RUNS, turns());
		for (int video = 0; video < 50; video++) {
			int[] chosen = partitions.next(4, 24);
			Set<Integer> consumers = Arrays.stream(chosen)
				.mapToObj((partition) -> partition / 6)
				.collect(Collectors.toSet());
			assertThat(consumers).as("consumers of %s", Arrays.toString(chosen)).hasSize(4);
		}
	}

	@Test
	void spreadsManyVideosEvenlyOverThePartitions() {
		RenditionPartitions partitions = new RenditionPartitions(() -> RUNS, turns());
		int[] load = new int[24];
		for (int video = 0; video < 600; video++) {
			Arrays.stream(partitions.next(4, 24)).forEach((partition) -> load[partition]++);
		}
		assertThat(load).containsOnly(600 * 4 / 24);
	}

	@Test
	void readsTheAssignmentAgainAfterARebalance() {
		// One consumer held every partition; after the rebalance, four hold them.
		AtomicReference<List<List<Integer>>> assignment = new AtomicReference<>(List.of(range(0, 24)));
		AtomicInteger reads = new AtomicInteger();
		RenditionPartitions partitions = new RenditionPartitions(() -> {
			reads.incrementAndGet();
			return assignment.get();
		}, turns());
		partitions.next(4, 24);
		assignment.set(RUNS);
		partitions.next(4, 24);
		assertThat(reads).as("read once, then kept").hasValue(1);

		partitions.onRebalance(new RenditionsRebalanced());

		int[] chosen = partitions.next(4, 24);
		assertThat(reads).hasValue(2);
		assertThat(Arrays.stream(chosen).map((partition) -> partition / 6).distinct().count())
			.as("the four consumers of %s", Arrays.toString(chosen))
			.isEqualTo(4);
	}

	@Test
	void doesNotKeepAReadThatARebalanceOvertook() {
		// The first read shows one consumer holding every partition, but the group goes
		// through a rebalance while it is under way: four consumers hold them after it.
		AtomicReference<RenditionPartitions> holder = new AtomicReference<>();
		AtomicInteger reads = new AtomicInteger();
		RenditionPartitions partitions = new RenditionPartitions(() -> {
			if (reads.incrementAndGet() == 1) {
				holder.get().onRebalance(new RenditionsRebalanced());
				return List.of(range(0, 24));
			}
			return RUNS;
		}, turns());
		holder.set(partitions);
		partitions.next(4, 24);
		assertThat(reads).hasValue(1);

		int[] chosen = partitions.next(4, 24);
		assertThat(reads).as("read again: the first read may be from before the rebalance").hasValue(2);
		assertThat(Arrays.stream(chosen).map((partition) -> partition / 6).distinct().count())
			.as("the four consumers of %s", Arrays.toString(chosen))
			.isEqualTo(4);
	}

	@Test
	void doesNotKeepABackgroundReadThatARebalanceOvertook() throws InterruptedException {
		CountDownLatch reading = new CountDownLatch(1);
		CountDownLatch rebalanced = new CountDownLatch(1);
		AtomicInteger reads = new AtomicInteger();
		RenditionPartitions partitions = new RenditionPartitions(() -> {
			if (reads.incrementAndGet() == 1) {
				reading.countDown();
				await(rebalanced);
				return List.of(range(0, 24));
			}
			return RUNS;
		}, turns(), true);
		try {
			assertThat(reading.await(5, TimeUnit.SECONDS)).isTrue();
			partitions.onRebalance(new RenditionsRebalanced());
			rebalanced.countDown();
			// Read again at once after the rebalance, not 5 s after the read it overtook.
			Awaitility.await()
				.atMost(Duration.ofSeconds(2))
				.untilAsserted(() -> assertThat(reads).hasValueGreaterThan(1));
			int[] chosen = partitions.next(4, 24);
			assertThat(Arrays.stream(chosen).map((partition) -> partition / 6).distinct().count())
				.as("the four consumers of %s", Arrays.toString(chosen))
				.isEqualTo(4);
		}
		finally {
			partitions.stop();
		}
	}

	@Test
	void goesOnReadingInTheBackgroundAfterAReadThrewAnError() {
		AtomicInteger reads = new AtomicInteger();
		RenditionPartitions partitions = new RenditionPartitions(() -> {
			if (reads.incrementAndGet() == 1) {
				throw new NoClassDefFoundError("not there once");
			}
			return RUNS;
		}, turns(), true);
		try {
			// Nothing kept after the error: read again at the next turn, 0.5 s later.
			Awaitility.await()
				.atMost(Duration.ofSeconds(3))
				.untilAsserted(() -> assertThat(reads).hasValueGreaterThan(1));
		}
		finally {
			partitions.stop();
		}
	}

	@Test
	void aRebalanceWhileTheWorkerShutsDownThrowsNothing() {
		RenditionPartitions partitions = new RenditionPartitions(() -> RUNS, turns(), true);
		partitions.stop();
		assertThatNoException().isThrownBy(() -> partitions.onRebalance(new RenditionsRebalanced()));
		assertThat(partitions.next(4, 24)).as("read by the fan-out itself").hasSize(4);
	}

	@Test
	void withoutAnAssignmentTakesConsecutivePartitionsInTurn() {
		RenditionPartitions partitions = new RenditionPartitions(List::of, turns());
		int[] chosen = partitions.next(4, 24);
		for (int i = 1; i < chosen.length; i++) {
			assertThat(chosen[i]).isEqualTo((chosen[i - 1] + 1) % 24);
		}
		RenditionPartitions failing = new RenditionPartitions(() -> {
			throw new IllegalStateException("no broker");
		}, turns());
		assertThat(failing.next(4, 3)).containsAnyOf(0, 1, 2).doesNotContain(-1, 3);
	}

	@Test
	void whileTheGroupMovesPartitionsUsesEveryPartition() {
		// A second worker joining: half the partitions taken from the first worker's
		// consumers, not given to the second's yet.
		RenditionPartitions partitions = new RenditionPartitions(
				() -> List.of(range(0, 3), range(6, 9), range(12, 15), range(18, 21)), turns());
		Set<Integer> used = IntStream.range(0, 6)
			.flatMap((video) -> Arrays.stream(partitions.next(4, 24)))
			.boxed()
			.collect(Collectors.toSet());
		assertThat(used).hasSize(24);
	}

	@Test
	void readsAgainSoonWhileNotEveryPartitionIsHeld() throws InterruptedException {
		// Half the partitions held: read again after 0.5 s. Every one held: kept 5 s.
		AtomicInteger halfReads = new AtomicInteger();
		RenditionPartitions half = new RenditionPartitions(() -> {
			halfReads.incrementAndGet();
			return List.of(range(0, 3), range(6, 9), range(12, 15), range(18, 21));
		}, turns());
		AtomicInteger allReads = new AtomicInteger();
		RenditionPartitions all = new RenditionPartitions(() -> {
			allReads.incrementAndGet();
			return RUNS;
		}, turns());
		half.next(4, 24);
		all.next(4, 24);
		Thread.sleep(700);
		half.next(4, 24);
		all.next(4, 24);
		assertThat(halfReads).as("12 of 24 partitions held: read again").hasValue(2);
		assertThat(allReads).as("every partition held: kept").hasValue(1);
	}

	@Test
	void withFewerConsumersThanRenditionsUsesEachOfThem() {
		RenditionPartitions partitions = new RenditionPartitions(() -> List.of(range(0, 12), range(12, 24)), turns());
		int[] chosen = partitions.next(4, 24);
		assertThat(Arrays.stream(chosen).map((partition) -> partition / 12).distinct().count()).isEqualTo(2);
		assertThat(chosen).doesNotHaveDuplicates();
	}

	@ParameterizedTest
	@ValueSource(ints = { 1, 2, 3, 4, 6, 8, 12, 16, 24 })
	void givesEachConsumerEachScaleAlike(int consumerCount) {
		List<List<Integer>> consumers = IntStream.range(0, consumerCount)
			.mapToObj((consumer) -> range(consumer * 24 / consumerCount, (consumer + 1) * 24 / consumerCount))
			.toList();
		RenditionPartitions partitions = new RenditionPartitions(() -> consumers, turns());
		int videos = 48 * 4;
		int[][] load = new int[consumerCount][4];
		for (int video = 0; video < videos; video++) {
			int[] chosen = partitions.next(4, 24);
			for (int scale = 0; scale < 4; scale++) {
				load[consumerOf(consumers, chosen[scale])][scale]++;
			}
		}
		int[] expected = new int[4];
		Arrays.fill(expected, videos / consumerCount);
		assertThat(load).as("renditions of each scale, by consumer").isDeepEqualTo(filled(consumerCount, expected));
	}

	@Test
	void workersTakingTurnsFromOneSequenceShareTheConsumersEvenly() {
		// Four workers, each with four consumers of six partitions in all, fan out 60
		// videos between them, in any order.
		List<List<Integer>> consumers = IntStream.range(0, 16)
			.mapToObj((consumer) -> (consumer < 8) ? List.of(2 * consumer, 2 * consumer + 1) : List.of(consumer + 8))
			.toList();
		IntToLongFunction shared = turns();
		List<RenditionPartitions> workers = IntStream.range(0, 4)
			.mapToObj((worker) -> new RenditionPartitions(() -> consumers, shared))
			.toList();
		Random random = new Random(7);
		int[] load = new int[16];
		for (int video = 0; video < 60; video++) {
			for (int partition : workers.get(random.nextInt(workers.size())).next(4, 24)) {
				load[IntStream.range(0, 16)
					.filter((c) -> consumers.get(c).contains(partition))
					.findFirst()
					.orElseThrow()]++;
			}
		}
		assertThat(load).containsOnly(60 * 4 / 16);
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static int consumerOf(List<List<Integer>> consumers, int partition) {
		return IntStream.range(0, consumers.size())
			.filter((consumer) -> consumers.get(consumer).contains(partition))
			.findFirst()
			.orElseThrow();
	}

	private static int[][] filled(int rows, int[] row) {
		return IntStream.range(0, rows).mapToObj((i) -> row).toArray(int[][]::new);
	}

	/**
	 * A sequence of turns in this JVM, as {@link RenditionTurns} keeps one in MongoDB.
	 */
	static IntToLongFunction turns() {
		AtomicLong next = new AtomicLong();
		return next::getAndAdd;
	}

	private static List<Integer> range(int from, int to) {
		return IntStream.range(from, to).boxed().toList();
	}

}
