package dev.labkafka.api.video;

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
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsResult;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

/**
 * Tells a video that is stuck from one that is only waiting, by asking Kafka where the
 * worker's consumer groups are. A video in progress is moved on by its messages: the
 * announcement while it is {@code uploaded}, its missing renditions' messages while it is
 * {@code encoding} (their places are in its document). While one of them is still ahead
 * of its group's committed offset, the video is queued, however long the backlog: a
 * worker will get to it, and a rendition being made is not committed until it is
 * recorded. Once every one of them is behind the committed offset, or gone from the log
 * (retention), and the video still has not moved, nothing will move it: it is stuck.
 */
@Component
class StuckVideos implements DisposableBean {

	private static final Duration TIMEOUT = Duration.ofSeconds(3);

	private final Admin admin;

	StuckVideos(KafkaAdmin kafkaAdmin) {
		this.admin = Admin.create(kafkaAdmin.getConfigurationProperties());
	}

	/**
	 * Those of {@code quiet} (videos in progress that have not changed for a while) that
	 * are stuck.
	 * @throws KafkaUnavailable when Kafka cannot say where the groups are: then no video
	 * can be called stuck
	 */
	List<Video> among(List<Video> quiet) {
		Set<TopicPartition> partitions = quiet.stream()
			.flatMap((video) -> video.waitingRecords().stream())
			.map(StuckVideos::partition)
			.collect(Collectors.toSet());
		if (partitions.isEmpty()) {
			// Nothing of theirs is known to be queued (documents from before positions
			// were kept): their age is all there is to go by.
			return quiet;
		}
		Positions positions = positions(partitions);
		return quiet.stream().filter((video) -> video.waitingRecords().stream().allMatch(positions::behind)).toList();
	}

	private Positions positions(Set<TopicPartition> partitions) {
		try {
			return new Positions(committed(partitions), earliest(partitions));
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new KafkaUnavailable(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new KafkaUnavailable(ex);
		}
	}

	/** The committed offset of the group that reads each partition (absent: none yet). */
	private Map<TopicPartition, Long> committed(Set<TopicPartition> partitions)
			throws InterruptedException, ExecutionException, TimeoutException {
		Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
		partitions.stream()
			.collect(Collectors.groupingBy((partition) -> Topics.consumerGroup(partition.topic())))
			.forEach((group, groupPartitions) -> specs.put(group,
					new ListConsumerGroupOffsetsSpec().topicPartitions(groupPartitions)));
		ListConsumerGroupOffsetsResult result = this.admin.listConsumerGroupOffsets(specs,
				new ListConsumerGroupOffsetsOptions().timeoutMs((int) TIMEOUT.toMillis()));
		Map<TopicPartition, Long> committed = new HashMap<>();
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

	/**
	 * The first offset still in each partition's log; a partition whose topic is gone
	 * holds nothing.
	 */
	private Map<TopicPartition, Long> earliest(Set<TopicPartition> partitions)
			throws InterruptedException, ExecutionException, TimeoutException {
		ListOffsetsResult result = this.admin.listOffsets(
				partitions.stream()
					.collect(Collectors.toMap((partition) -> partition, (partition) -> OffsetSpec.earliest())),
				new ListOffsetsOptions().timeoutMs((int) TIMEOUT.toMillis()));
		Map<TopicPartition, Long> earliest = new HashMap<>();
		Set<TopicPartition> gone = new HashSet<>();
		for (TopicPartition partition : partitions) {
			try {
				earliest.put(partition,
						result.partitionResult(partition).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).offset());
			}
			catch (ExecutionException ex) {
				if (!(ex.getCause() instanceof UnknownTopicOrPartitionException)) {
					throw ex;
				}
				gone.add(partition);
			}
		}
		gone.forEach((partition) -> earliest.put(partition, Long.MAX_VALUE));
		return earliest;
	}

	private static TopicPartition partition(QueuedRecord record) {
		return new TopicPartition(record.topic(), record.partition());
	}

	@Override
	public void destroy() {
		this.admin.close(Duration.ofSeconds(1));
	}

	private record Positions(Map<TopicPartition, Long> committed, Map<TopicPartition, Long> earliest) {

		/** Whether the record is no longer waiting: consumed, or no longer in the log. */
		boolean behind(QueuedRecord record) {
			TopicPartition partition = partition(record);
			Long committed = this.committed.get(partition);
			return (committed != null && record.consumedBy(committed))
					|| this.earliest.getOrDefault(partition, 0L) > record.offset();
		}

	}

	/** Kafka could not say where the consumer groups are. */
	static final class KafkaUnavailable extends RuntimeException {

		KafkaUnavailable(Throwable cause) {
			super("Kafka could not say where the consumer groups are: " + cause, cause);
		}

	}

}
