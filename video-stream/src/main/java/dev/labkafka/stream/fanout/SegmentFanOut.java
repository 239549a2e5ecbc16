package dev.labkafka.stream.fanout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.labkafka.messages.Topics;
import dev.labkafka.messages.VideoMessage;
import dev.labkafka.videos.QueuedRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
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

	/**
	 * Sends the parts, and returns once the broker committed them all.
	 * @return where the last of them went: while it waits, the video is queued (the API's
	 * search for stuck videos reads it in the video's document)
	 */
	public @Nullable QueuedRecord send(List<VideoMessage> parts) {
		if (parts.isEmpty()) {
			return null;
		}
		List<CompletableFuture<SendResult<String, VideoMessage>>> sends = new ArrayList<>();
		this.kafka.executeInTransaction((operations) -> {
			int[] chosen = this.partitions.next(parts.size(), operations.partitionsFor(Topics.RENDITIONS).size());
			for (int i = 0; i < parts.size(); i++) {
				sends.add(operations.send(Topics.RENDITIONS, chosen[i], parts.get(i).id(), parts.get(i)));
			}
			return null;
		});
		RecordMetadata last = sends.get(sends.size() - 1).join().getRecordMetadata();
		return new QueuedRecord(last.topic(), last.partition(), last.offset());
	}

}
