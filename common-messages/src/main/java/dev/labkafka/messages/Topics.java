package dev.labkafka.messages;

/**
 * Names of the Kafka topics the services share.
 * <p>
 * Uploads and renditions travel on separate topics so that a new upload's fan-out never
 * queues behind a backlog of slow renditions: the worker reads each topic with its own
 * consumers.
 */
public final class Topics {

	/** {@code scale == 0} messages: one per uploaded video, written by the API. */
	public static final String VIDEOS = "videos";

	/** {@code scale != 0} messages: four per video, written by the worker's fan-out. */
	public static final String RENDITIONS = "video-renditions";

	/**
	 * The dead-letter topic of {@code topic}: where the worker puts the records it cannot
	 * handle (malformed, invalid, or out of retries), with the reason in their headers.
	 */
	public static String deadLetters(String topic) {
		return topic + "-dlt";
	}

	private Topics() {
	}

}
