package dev.labkafka.stream.fanout;

import java.util.List;

import dev.labkafka.messages.Topics;
import dev.labkafka.messages.VideoMessage;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * A long rendition becomes one message per segment (and its video's shared sound one of
 * its own), on the renditions topic, spread over the partitions of the group's consumers
 * as the renditions of an upload are ({@link RenditionPartitions}), so that the segments
 * run side by side on every consumer of every worker. The messages are sent in one Kafka
 * transaction: they count all together, or, when the sender dies first, none of them (its
 * rendition message is then delivered again, and planned again).
 */
@Component
public class SegmentFanOut {

	private final KafkaTemplate<String, VideoMessage> kafka;

	private final RenditionPartitions partitions;

	SegmentFanOut(KafkaTemplate<String, VideoMessage> kafka, RenditionPartitions partitions) {
		this.kafka = kafka;
		this.partitions = partitions;
	}

	/** Sends the parts, and returns once the broker committed them all. */
	public void send(List<VideoMessage> parts) {
		if (parts.isEmpty()) {
			return;
		}
		this.kafka.executeInTransaction((operations) -> {
			int[] chosen = this.partitions.next(parts.size(), operations.partitionsFor(Topics.RENDITIONS).size());
			for (int i = 0; i < parts.size(); i++) {
				operations.send(Topics.RENDITIONS, chosen[i], parts.get(i).id(), parts.get(i));
			}
			return null;
		});
	}

}
