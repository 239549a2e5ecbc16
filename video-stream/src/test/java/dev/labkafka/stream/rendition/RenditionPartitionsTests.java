package dev.labkafka.stream.rendition;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RenditionPartitionsTests {

	private final RenditionPartitions partitions = new RenditionPartitions();

	@Test
	void putsTheRenditionsOfAVideoOnConsecutiveDistinctPartitions() {
		for (int video = 0; video < 50; video++) {
			int[] chosen = this.partitions.next(4, 24);
			assertThat(chosen).doesNotHaveDuplicates();
			for (int i = 1; i < chosen.length; i++) {
				assertThat(chosen[i]).isEqualTo((chosen[i - 1] + 1) % 24);
			}
		}
	}

	@Test
	void spreadsManyVideosEvenlyOverThePartitions() {
		int[] load = new int[24];
		for (int video = 0; video < 600; video++) {
			Arrays.stream(this.partitions.next(4, 24)).forEach((partition) -> load[partition]++);
		}
		assertThat(load).containsOnly(600 * 4 / 24);
	}

	@Test
	void staysInRangeWithFewerPartitionsThanRenditions() {
		assertThat(this.partitions.next(4, 1)).containsOnly(0);
		assertThat(this.partitions.next(4, 3)).containsAnyOf(0, 1, 2).doesNotContain(-1, 3);
	}

}
