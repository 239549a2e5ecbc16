package dev.labkafka.api.redrive;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import dev.labkafka.messages.Topics;
import dev.labkafka.videos.QueuedRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsResult;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import dev.labkafka.kafkaadmin.SharedAdmin;

import org.springframework.stereotype.Component;

/**
 * Tells a video that is stuck from one that is only waiting, by asking Kafka where the
 * worker's consumer groups are. A video in progress is moved on by its messages: the
 * announcement while it is {@code uploaded}, its missing renditions' messages while it is
 * {@code encoding} (their places are in its document, and follow a failed rendition to
 * its retry and dead-letter topics). While one of them is still ahead of its group's
 * committed offset, the video is queued, however long the backlog: a worker will get to
 * it, and a rendition being made is not committed until it is recorded. Once every one of
 * them is behind the committed offset, or no longer in the log (retention, a topic made
 * anew), and the video still has not moved, nothing will move it: it is stuck.
 */
@Component
class StuckVideos {

	private static final Duration TIMEOUT = Duration.ofSeconds(3);

	private final SharedAdmin admin;

	StuckVideos(SharedAdmin admin) {
		this.admin = admin;
	}

	/**
	 * Those of {@code quiet} (videos in progress that have not changed for a while) that
	 * are stuck.
	 * @throws KafkaUnavailable when Kafka cannot say where the groups are: then no video
	 * can be called stuck
	 */
	List<InProgress> among(List<InProgress> quiet) {
		Set<TopicPartition> partitions = quiet.stream()
			.flatMap((video) -> video.waitingRecords().stream())
			.map(StuckVideos::partition)
			.collect(Collectors.toSet());
		if (partitions.isEmpty()) {
			// Nothing of theirs is known to be queued (documents from before places were
			// kept): their age is all there is to go by.
			return quiet;
		}
		Positions positions = positions(partitions);
		return quiet.stream().filter((video) -> video.waitingRecords().stream().allMatch(positions::behind)).toList();
	}

	private Positions positions(Set<TopicPartition> partitions) {
		try {
			Admin admin = this.admin.get();
			Set<TopicPartition> existing = existing(admin, partitions);
			return new Positions(committed(admin, existing), offsets(admin, existing, OffsetSpec.earliest()),
					offsets(admin, existing, OffsetSpec.latest()), existing);
		}
		catch (ExecutionException | TimeoutException | KafkaException ex) {
			throw new KafkaUnavailable(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new KafkaUnavailable(ex);
		}
	}

	/** The partitions that are in the cluster: their topic exists and has them. */
	private static Set<TopicPartition> existing(Admin admin, Set<TopicPartition> partitions)
			throws InterruptedException, ExecutionException, TimeoutException {
		Set<String> topics = partitions.stream().map(TopicPartition::topic).collect(Collectors.toSet());
		Map<String, KafkaFuture<TopicDescription>> descriptions = admin
			.describeTopics(topics, new DescribeTopicsOptions().timeoutMs((int) TIMEOUT.toMillis()))
			.topicNameValues();
		Map<String, Integer> partitionCounts = new HashMap<>();
		for (String topic : topics) {
			try {
				partitionCounts.put(topic,
						descriptions.get(topic).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).partitions().size());
			}
			catch (ExecutionException ex) {
				if (!(ex.getCause() instanceof UnknownTopicOrPartitionException)) {
					throw ex;
				}
			}
		}
		Set<TopicPartition> existing = new HashSet<>();
		for (TopicPartition partition : partitions) {
			if (partition.partition() < partitionCounts.getOrDefault(partition.topic(), 0)) {
				existing.add(partition);
			}
		}
		return existing;
	}

	/** The committed offset of the group that reads each partition (absent: none yet). */
	private static Map<TopicPartition, Long> committed(Admin admin, Set<TopicPartition> partitions)
			throws InterruptedException, ExecutionException, TimeoutException {
		Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
		partitions.stream()
			.filter((partition) -> Topics.consumerGroup(partition.topic()) != null)
			.collect(Collectors.groupingBy((partition) -> Topics.consumerGroup(partition.topic())))
			.forEach((group, groupPartitions) -> specs.put(group,
					new ListConsumerGroupOffsetsSpec().topicPartitions(groupPartitions)));
		Map<TopicPartition, Long> committed = new HashMap<>();
		if (specs.isEmpty()) {
			return committed;
		}
		ListConsumerGroupOffsetsResult result = admin.listConsumerGroupOffsets(specs,
				new ListConsumerGroupOffsetsOptions().timeoutMs((int) TIMEOUT.toMillis()));
		for (String group : specs.keySet()) {
			Map<TopicPartition, OffsetAndMetadata> offsets = result.partitionsToOffsetAndMetadata(group)
				.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			offsets.forEach((partition, offset) -> {
				if (offset != null) {
					committed.put(partition, offset.offset());
				}
			});
		}
		return committed;
	}

	/** The earliest or the latest offset of each partition's log. */
	private static Map<TopicPartition, Long> offsets(Admin admin, Set<TopicPartition> partitions, OffsetSpec which)
			throws InterruptedException, ExecutionException, TimeoutException {
		if (partitions.isEmpty()) {
			return Map.of();
		}
		Map<TopicPartition, Long> offsets = new HashMap<>();
		admin
			.listOffsets(partitions.stream().collect(Collectors.toMap((partition) -> partition, (partition) -> which)),
					new ListOffsetsOptions().timeoutMs((int) TIMEOUT.toMillis()))
			.all()
			.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
			.forEach((partition, info) -> offsets.put(partition, info.offset()));
		return offsets;
	}

	private static TopicPartition partition(QueuedRecord record) {
		return new TopicPartition(record.topic(), record.partition());
	}

	/**
	 * Where the worker's groups are, and what the logs hold, for the partitions that
	 * exist.
	 */
	record Positions(Map<TopicPartition, Long> committed, Map<TopicPartition, Long> earliest,
			Map<TopicPartition, Long> latest, Set<TopicPartition> existing) {

		/**
		 * Whether the record no longer waits: its group is past it, no group reads its
		 * topic, or it is not in the log (its partition is gone, retention removed it, or
		 * the log ends before it).
		 */
		boolean behind(QueuedRecord record) {
			TopicPartition partition = partition(record);
			if (!this.existing.contains(partition) || Topics.consumerGroup(record.topic()) == null) {
				return true;
			}
			Long committed = this.committed.get(partition);
			return (committed != null && record.consumedBy(committed))
					|| this.earliest.getOrDefault(partition, 0L) > record.offset()
					|| this.latest.getOrDefault(partition, Long.MAX_VALUE) <= record.offset();
		}

	}

	/** Kafka could not say where the consumer groups are. */
	static final class KafkaUnavailable extends RuntimeException {

		KafkaUnavailable(Throwable cause) {
			super("Kafka could not say where the consumer groups are: " + cause, cause);
		}

	}

}
