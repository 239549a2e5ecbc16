package dev.labkafka.api.upload;

import java.io.InputStream;

import org.jspecify.annotations.Nullable;

/**
 * A video upload as it arrives, however it is carried: the name the client gave the file,
 * its bytes as they come, and a last check once they have been read. Reading the bytes or
 * finishing throws a {@link dev.labkafka.api.problems.ProblemException} when the upload
 * turns out to be wrong (over the limit, malformed, cut short).
 */
interface IncomingUpload {

	/** The client's name for the file, if it gave one. */
	@Nullable String filename();

	/** The file's bytes, read once, as they arrive. */
	InputStream content();

	/**
	 * Reads whatever follows the file, and refuses the upload if it is not well formed.
	 */
	void finish();

}
