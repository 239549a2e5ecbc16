package dev.labkafka.stream.rendition;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.springframework.stereotype.Component;

/**
 * Chooses the partitions of a video's rendition messages so that they run in parallel and
 * the load spreads evenly.
 * <p>
 * A video's renditions go to consecutive partitions, taken round-robin across videos. The
 * rendition consumers' assignor (Kafka's cooperative sticky one) first deals partitions
 * out to consumers like cards: consecutive partitions belong to different consumers, so
 * the renditions of one video run at the same time on as many consumers as there are, and
 * every partition (so every consumer) gets the same share of the work. Hashing keys
 * instead would often put two renditions of a video on one partition, where they would
 * run one after the other.
 */
@Component
class RenditionPartitions {

	private final AtomicInteger next = new AtomicInteger(ThreadLocalRandom.current().nextInt(1 << 16));

	/**
	 * Partitions for {@code count} renditions of one video on a topic with
	 * {@code partitions}.
	 */
	int[] next(int count, int partitions) {
		int start = this.next.getAndAdd(count);
		return IntStream.range(0, count).map((i) -> Math.floorMod(start + i, partitions)).toArray();
	}

}
