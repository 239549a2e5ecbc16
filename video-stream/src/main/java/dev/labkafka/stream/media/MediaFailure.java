package dev.labkafka.stream.media;

/**
 * ffmpeg or ffprobe could not do what was asked: the file is not media they can read, the
 * program failed or ran out of time, or it could not be started. Running it again on the
 * same file would fail the same way, so the pipeline does not retry it. The message ends
 * with the tail of the program's error output.
 */
public class MediaFailure extends RuntimeException {

	public MediaFailure(String message) {
		super(message);
	}

	public MediaFailure(String message, Throwable cause) {
		super(message, cause);
	}

}
