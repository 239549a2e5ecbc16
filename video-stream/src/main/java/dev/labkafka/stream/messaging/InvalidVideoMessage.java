package dev.labkafka.stream.messaging;

import dev.labkafka.messages.VideoMessage;
import org.bson.types.ObjectId;

/**
 * A message that no retry can make right: it goes to the dead-letter topic at once. The
 * listeners of the other modules check each message with {@link #checkUpload} or
 * {@link #checkRendition} before anything else; the error handling here never retries
 * this exception and marks no video failed for it.
 */
public class InvalidVideoMessage extends RuntimeException {

	InvalidVideoMessage(String message) {
		super(message);
	}

	/** Checks a message from the uploads topic. */
	public static VideoMessage checkUpload(VideoMessage message) {
		checkId(message);
		if (!message.original()) {
			throw new InvalidVideoMessage("Scale " + message.scale() + " on the uploads topic: only 0 belongs there");
		}
		return message;
	}

	/** Checks a message from the renditions topic. */
	public static VideoMessage checkRendition(VideoMessage message) {
		checkId(message);
		if (!VideoMessage.RENDITION_SCALES.contains(message.scale())) {
			throw new InvalidVideoMessage(
					"Scale " + message.scale() + " is not one of the renditions " + VideoMessage.RENDITION_SCALES);
		}
		if (message.part() != null && !message.part().valid()) {
			throw new InvalidVideoMessage("Part " + message.part() + " is not a part of a plan of segments");
		}
		return message;
	}

	private static void checkId(VideoMessage message) {
		if (!ObjectId.isValid(message.id())) {
			throw new InvalidVideoMessage("'" + message.id() + "' is not a video id (24 hexadecimal digits)");
		}
	}

}
