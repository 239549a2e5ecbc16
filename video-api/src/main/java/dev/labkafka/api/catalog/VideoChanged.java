package dev.labkafka.api.catalog;

/**
 * An application event: this API changed a video, so every API instance's clients are to
 * be told ({@code events}). The worker tells them of its own changes.
 *
 * @param id the video's id
 * @param deleted whether the video is gone; otherwise its status changed (it was stored,
 * retried or sent through the pipeline again)
 */
public record VideoChanged(String id, boolean deleted) {

	/** The video's status changed. */
	public static VideoChanged status(String id) {
		return new VideoChanged(id, false);
	}

	/** The video was deleted. */
	public static VideoChanged gone(String id) {
		return new VideoChanged(id, true);
	}

}
