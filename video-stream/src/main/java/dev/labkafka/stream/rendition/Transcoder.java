package dev.labkafka.stream.rendition;

import dev.labkafka.messages.VideoMessage;
import dev.labkafka.videos.Rendition;
import org.jspecify.annotations.Nullable;

/**
 * Makes one rendition of a video: the lab's {@link MockTranscoder}, or the
 * {@link FfmpegTranscoder}, as {@code video.stream.transcoder} says.
 */
interface Transcoder {

	/**
	 * Makes the rendition the message asks for.
	 * @return the rendition, or {@code null} when the video is long and the rendition was
	 * cut into segments instead: it is recorded once they are stitched
	 * @throws dev.labkafka.stream.media.MediaFailure when it cannot be made from this
	 * source (not retried)
	 */
	@Nullable Variant transcode(VideoMessage rendition) throws InterruptedException;

	/**
	 * Removes what was stored for a rendition whose video was deleted meanwhile, and
	 * anything else stored for that video.
	 */
	default void discard(VideoMessage rendition) {
	}

	/**
	 * A rendition made.
	 *
	 * @param url where it can be fetched: the video's {@code variants.<scale>}
	 * @param rendition what the rendition really is, for the video's
	 * {@code renditions.<scale>}; {@code null} when there is nothing to say (the mock's)
	 */
	record Variant(String url, @Nullable Rendition rendition) {

		/** A rendition that is only a url. */
		static Variant at(String url) {
			return new Variant(url, null);
		}

	}

}
