package dev.labkafka.messages;

import org.jspecify.annotations.Nullable;

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

	/**
	 * The worker's consumer group that probes each upload for its metadata and poster
	 * frame. It reads {@link #VIDEOS} beside the fan-out, so that neither waits for the
	 * other; a video's progress through the pipeline is the fan-out's, not this group's.
	 */
	public static final String PROBE_GROUP = "video-stream.probe";

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
	 * {@link ProgressMessage}s: one each time a video's state changes (a status, a
	 * rendition done, its metadata found, deleted), written by whichever service changed
	 * it. Every API instance reads all of it, each in a consumer group of its own, and
	 * tells its clients (server-sent events). Keyed by the video's id.
	 */
	public static final String PROGRESS = "video-progress";

	/** Partitions of {@link #PROGRESS}: every reader reads them all, so one is enough. */
	public static final int PROGRESS_PARTITIONS = 1;

	/**
	 * The prefix of the API instances' consumer groups on {@link #PROGRESS}: each adds
	 * its own unique suffix.
	 */
	public static final String PROGRESS_GROUP_PREFIX = "video-api.events-";

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
	 * The consumer group that reads {@code topic}'s records. A rendition that failed
	 * moves to the renditions' retry topics ({@code video-renditions-retry-N}) and at
	 * last to their dead-letter topic; the worker reads each with a group named like the
	 * topic, the renditions' group with the same suffix (Spring Kafka's retry topics name
	 * them so).
	 * @return the group, or {@code null} for a topic the worker does not read
	 */
	public static @Nullable String consumerGroup(String topic) {
		if (topic.equals(VIDEOS)) {
			return FAN_OUT_GROUP;
		}
		if (topic.equals(RENDITIONS) || topic.startsWith(RENDITIONS + "-")) {
			return RENDITIONS_GROUP + topic.substring(RENDITIONS.length());
		}
		return null;
	}

	private Topics() {
	}

}
