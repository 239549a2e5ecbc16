package dev.labkafka.stream.media;

/**
 * The video a job worked for was deleted meanwhile: its programs were killed, or not
 * started. Not a failure of the video's: its job is dropped, not retried nor
 * dead-lettered.
 */
public class VideoGone extends RuntimeException {

	private final String videoId;

	public VideoGone(String videoId) {
		super("Video " + videoId + " was deleted");
		this.videoId = videoId;
	}

	public String videoId() {
		return this.videoId;
	}

}
