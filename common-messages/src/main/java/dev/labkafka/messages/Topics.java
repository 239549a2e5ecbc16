package dev.labkafka.messages;

/**
 * The Kafka topics the services share: their names, the partitions the design needs, and
 * the consumer group that reads each. This is the one definition of them; the worker
 * creates the topics from it, and the API reads it to tell a video still queued from one
 * that is stuck.
 * <p>
 * Uploads and renditions travel on separate topics so that a new upload's fan-out never
 * queues behind a backlog of slow renditions: the worker reads each topic with its own
 * consumers.
 */
public final class Topics {

	/** {@code scale == 0} messages: one per uploaded video, written by the API. */
	public static final String VIDEOS = "videos";

	/**
	 * Partitions of {@link #VIDEOS}: the most fan-out consumers that can work at once.
	 * Announcements are keyed by the video's id.
	 */
	public static final int VIDEOS_PARTITIONS = 6;

	/** The worker's consumer group that fans uploads out. */
	public static final String FAN_OUT_GROUP = "video-stream.fan-out";

	/** {@code scale != 0} messages: four per video, written by the worker's fan-out. */
	public static final String RENDITIONS = "video-renditions";

	/**
	 * Partitions of {@link #RENDITIONS}: the most rendition consumers the whole group can
	 * use. 24 is divided by 1, 2, 3, 4, 6, 8 and 12, so common process x thread counts
	 * get equal shares.
	 */
	public static final int RENDITIONS_PARTITIONS = 24;

	/** The worker's consumer group that makes renditions. */
	public static final String RENDITIONS_GROUP = "video-stream.renditions";

	/**
	 * The dead-letter topic of {@code topic}: where the worker puts the records it cannot
	 * handle (malformed, invalid, or out of retries), with the reason in their headers.
	 */
	public static String deadLetters(String topic) {
		return topic + DEAD_LETTER_SUFFIX;
	}

	/** What {@link #deadLetters(String)} appends to a topic's name. */
	public static final String DEAD_LETTER_SUFFIX = "-dlt";

	/**
	 * The consumer group that reads {@code topic}'s records.
	 * @throws IllegalArgumentException for a topic that is not one of the pipeline's
	 */
	public static String consumerGroup(String topic) {
		return switch (topic) {
			case VIDEOS -> FAN_OUT_GROUP;
			case RENDITIONS -> RENDITIONS_GROUP;
			default -> throw new IllegalArgumentException("No consumer group reads topic '" + topic + "'");
		};
	}

	private Topics() {
	}

}
