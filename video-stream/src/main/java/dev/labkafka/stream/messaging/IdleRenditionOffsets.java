package dev.labkafka.stream.messaging;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.labkafka.messages.Topics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.kafka.event.ListenerContainerIdleEvent;
import org.springframework.stereotype.Component;

/**
 * Commits an idle rendition consumer's position past the fan-out's transaction markers,
 * so that a group with nothing left to do shows no lag.
 * <p>
 * Each fan-out is a Kafka transaction, which ends with a marker after its message on
 * every partition it wrote to. A consumer commits the offset after the last message it
 * handled, which is the marker's: the committed offset stays one short of the end, and
 * every partition shows a lag of one for ever. An autoscaler that reads the lag (KEDA)
 * would then keep several workers for an idle pipeline. Spring Kafka's
 * {@code fixTxOffsets} does not help here: it looks once, right after the commit, before
 * the next poll has stepped over the marker, and a consumer that takes one record per
 * poll is always in that case. So when a rendition consumer has had no record for
 * {@link #INTERVAL}, this commits its position on each of its partitions of the
 * renditions topic where the position is past the committed offset: then only markers lie
 * between them, since every record returned by a poll was handled before the next poll.
 * It runs on the consumer's own thread (Spring Kafka publishes the event there).
 */
@Component
class IdleRenditionOffsets {

	/**
	 * How long a rendition consumer has had no record before its offsets are looked at.
	 */
	static final Duration INTERVAL = Duration.ofSeconds(10);

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private static final Logger logger = LoggerFactory.getLogger(IdleRenditionOffsets.class);

	@EventListener
	void onIdle(ListenerContainerIdleEvent event) {
		Consumer<?, ?> consumer = event.getConsumer();
		Set<TopicPartition> renditions = consumer.assignment()
			.stream()
			.filter((partition) -> partition.topic().equals(Topics.RENDITIONS))
			.collect(Collectors.toSet());
		if (renditions.isEmpty()) {
			return;
		}
		try {
			Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(renditions, TIMEOUT);
			Map<TopicPartition, OffsetAndMetadata> ahead = new HashMap<>();
			for (TopicPartition partition : renditions) {
				long position = consumer.position(partition, TIMEOUT);
				OffsetAndMetadata at = committed.get(partition);
				if (at == null || position > at.offset()) {
					ahead.put(partition, new OffsetAndMetadata(position));
				}
			}
			if (!ahead.isEmpty()) {
				consumer.commitSync(ahead, TIMEOUT);
				logger.debug("Committed idle positions past transaction markers: {}", ahead);
			}
		}
		catch (WakeupException | InterruptException ex) {
			// The container is pausing or stopping its consumer: its business.
			throw ex;
		}
		catch (KafkaException ex) {
			// A rebalance or a broker away: the next idle interval tries again.
			logger.info("Could not commit idle rendition positions: {}", ex.toString());
		}
	}

}
