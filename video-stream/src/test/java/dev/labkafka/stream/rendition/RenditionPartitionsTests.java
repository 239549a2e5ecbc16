package dev.labkafka.stream.rendition;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RenditionPartitionsTests {

	/** Four consumers that joined one after the other: each holds a run of partitions. */
	static final List<List<Integer>> RUNS = List.of(range(0, 6), range(6, 12), range(12, 18), range(18, 24));

	@Test
	void putsTheRenditionsOfAVideoOnPartitionsOfDistinctConsumers() {
		RenditionPartitions partitions = new RenditionPartitions(() -> RUNS);
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
		RenditionPartitions partitions = new RenditionPartitions(() -> RUNS);
		int[] load = new int[24];
		for (int video = 0; video < 600; video++) {
			Arrays.stream(partitions.next(4, 24)).forEach((partition) -> load[partition]++);
		}
		assertThat(load).containsOnly(600 * 4 / 24);
	}

	@Test
	void withoutAnAssignmentTakesConsecutivePartitionsInTurn() {
		RenditionPartitions partitions = new RenditionPartitions(List::of);
		int[] chosen = partitions.next(4, 24);
		for (int i = 1; i < chosen.length; i++) {
			assertThat(chosen[i]).isEqualTo((chosen[i - 1] + 1) % 24);
		}
		RenditionPartitions failing = new RenditionPartitions(() -> {
			throw new IllegalStateException("no broker");
		});
		assertThat(failing.next(4, 3)).containsAnyOf(0, 1, 2).doesNotContain(-1, 3);
	}

	@Test
	void whileTheGroupMovesPartitionsUsesEveryPartition() {
		// A second worker joining: half the partitions taken from the first worker's
		// consumers, not given to the second's yet.
		RenditionPartitions partitions = new RenditionPartitions(
				() -> List.of(range(0, 3), range(6, 9), range(12, 15), range(18, 21)));
		Set<Integer> used = IntStream.range(0, 6)
			.flatMap((video) -> Arrays.stream(partitions.next(4, 24)))
			.boxed()
			.collect(Collectors.toSet());
		assertThat(used).hasSize(24);
	}

	@Test
	void withFewerConsumersThanRenditionsUsesEachOfThem() {
		RenditionPartitions partitions = new RenditionPartitions(() -> List.of(range(0, 12), range(12, 24)));
		int[] chosen = partitions.next(4, 24);
		assertThat(Arrays.stream(chosen).map((partition) -> partition / 12).distinct().count()).isEqualTo(2);
		assertThat(chosen).doesNotHaveDuplicates();
	}

	private static List<Integer> range(int from, int to) {
		return IntStream.range(from, to).boxed().toList();
	}

}
