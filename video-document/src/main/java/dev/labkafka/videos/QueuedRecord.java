package dev.labkafka.videos;

import org.jspecify.annotations.Nullable;

/**
 * Where a message about a video sits in Kafka, as the video's document keeps it
 * ({@link VideoFields#ANNOUNCEMENT}, {@link VideoFields#RENDITIONS_QUEUED}): enough to
 * tell, by the consumer group's committed offset, whether the message is still waiting to
 * be handled.
 *
 * @param topic the topic
 * @param partition the partition
 * @param offset the record's offset in the partition
 * @param scale the rendition the message asks for; {@code null} for an announcement
 */
public record QueuedRecord(String topic, int partition, long offset, @Nullable Integer scale) {

	public static final String TOPIC = "topic";

	public static final String PARTITION = "partition";

	public static final String OFFSET = "offset";

	public static final String SCALE = "scale";

	/** An announcement's place on the uploads topic. */
	public static QueuedRecord announcement(String topic, int partition, long offset) {
		return new QueuedRecord(topic, partition, offset, null);
	}

	/**
	 * Whether a consumer group whose committed offset is {@code committed} is past it.
	 */
	public boolean consumedBy(long committed) {
		return committed > this.offset;
	}

}
