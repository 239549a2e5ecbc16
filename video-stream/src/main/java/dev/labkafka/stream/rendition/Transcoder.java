package dev.labkafka.stream.rendition;

import dev.labkafka.messages.VideoMessage;

/**
 * Makes one rendition of a video.
 */
interface Transcoder {

	/**
	 * Makes the rendition the message asks for, and returns where it can be fetched.
	 */
	String transcode(VideoMessage rendition) throws InterruptedException;

}
