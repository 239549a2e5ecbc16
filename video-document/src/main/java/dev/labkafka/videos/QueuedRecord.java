package dev.labkafka.videos;

/**
 * Where a message about a video sits in Kafka, as the video's document keeps it
 * ({@link VideoFields#ANNOUNCEMENT}, {@link VideoFields#RENDITIONS_QUEUED}): enough to
 * tell, by the consumer group's committed offset, whether the message is still waiting to
 * be handled.
 *
 * @param topic the topic
 * @param partition the partition
 * @param offset the record's offset in the partition
 */
public record QueuedRecord(String topic, int partition, long offset) {

	public static final String TOPIC = "topic";

	public static final String PARTITION = "partition";

	public static final String OFFSET = "offset";

	/**
	 * Whether a consumer group whose committed offset is {@code committed} is past it.
	 */
	public boolean consumedBy(long committed) {
		return committed > this.offset;
	}

}
