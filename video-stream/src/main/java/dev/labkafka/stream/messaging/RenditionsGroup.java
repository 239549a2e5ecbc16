package dev.labkafka.stream.messaging;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.labkafka.messages.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * Which consumer of the renditions group holds which partition of the renditions topic,
 * as the group's coordinator says (Kafka's admin API).
 */
public final class RenditionsGroup {

	private static final long TIMEOUT_SECONDS = 2;

	private RenditionsGroup() {
	}

	/**
	 * The partitions each consumer of the group holds, in the order of the consumers'
	 * ids; consumers that hold none are left out.
	 * @throws IllegalStateException when the group cannot be read
	 */
	public static List<List<Integer>> assignment(Admin admin) {
		return call(() -> admin.describeConsumerGroups(List.of(Topics.RENDITIONS_GROUP))
			.describedGroups()
			.get(Topics.RENDITIONS_GROUP)
			.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
			.members()
			.stream()
			.sorted(Comparator.comparing(MemberDescription::consumerId))
			.map((member) -> member.assignment()
				.topicPartitions()
				.stream()
				.filter((partition) -> partition.topic().equals(Topics.RENDITIONS))
				.map(TopicPartition::partition)
				.sorted()
				.toList())
			.filter((owned) -> !owned.isEmpty())
			.toList());
	}

	/**
	 * Whether every partition of the renditions topic is held by a consumer: not so while
	 * the group is between the two steps of a cooperative rebalance (partitions taken
	 * from some consumers, not yet given to others).
	 * @throws IllegalStateException when the group or the topic cannot be read
	 */
	public static boolean settled(Admin admin) {
		int partitions = call(() -> admin.describeTopics(List.of(Topics.RENDITIONS))
			.allTopicNames()
			.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
			.get(Topics.RENDITIONS)
			.partitions()
			.size());
		return assignment(admin).stream().mapToInt(List::size).sum() >= partitions;
	}

	private static <T> T call(Read<T> read) {
		try {
			return read.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException(ex.getCause());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	@FunctionalInterface
	private interface Read<T> {

		T get() throws Exception;

	}

}
