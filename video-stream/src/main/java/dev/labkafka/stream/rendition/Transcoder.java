package dev.labkafka.stream.rendition;

import java.util.Map;

import dev.labkafka.messages.VideoMessage;

/**
 * Makes one rendition of a video: the lab's {@link MockTranscoder}, or the
 * {@link FfmpegTranscoder}, as {@code video.stream.transcoder} says.
 */
interface Transcoder {

	/**
	 * Makes the rendition the message asks for.
	 * @throws dev.labkafka.stream.media.MediaFailure when it cannot be made from this
	 * source (not retried)
	 */
	Variant transcode(VideoMessage rendition) throws InterruptedException;

	/**
	 * Removes what {@link #transcode} stored for a rendition whose video was deleted
	 * meanwhile.
	 */
	default void discard(VideoMessage rendition) {
	}

	/**
	 * A rendition made.
	 *
	 * @param url where it can be fetched: the video's {@code variants.<scale>}
	 * @param details what the rendition really is, for the video's
	 * {@code renditions.<scale>} (field names of
	 * {@link dev.labkafka.videos.VideoFields}); empty when there is nothing to say
	 */
	record Variant(String url, Map<String, Object> details) {

		/** A rendition that is only a url. */
		static Variant at(String url) {
			return new Variant(url, Map.of());
		}

	}

}
