package dev.labkafka.api.tus;

import java.time.Instant;

import org.bson.types.ObjectId;
import org.jspecify.annotations.Nullable;

/**
 * One resumable upload, as its record in the {@code uploads} collection holds it
 * ({@link UploadRecords}).
 *
 * @param id the upload's id, which its video will have
 * @param length how many bytes the upload has in all
 * @param offset how many bytes it has received
 * @param chunks how many whole GridFS chunks of it are stored
 * @param tail the bytes past the last whole chunk (less than one chunk)
 * @param filename the client's file name, cleaned
 * @param contentType the container format found in its first bytes, once they are in
 * @param metadata the client's {@code Upload-Metadata}, answered back as it came
 * @param expiresAt when it expires unless more bytes arrive
 * @param state where it is: receiving, finishing, complete
 */
record Upload(ObjectId id, long length, long offset, int chunks, byte[] tail, String filename,
		@Nullable String contentType, String metadata, Instant expiresAt, State state) {

	/**
	 * Receiving bytes; then finishing (all bytes in, the video being recorded); then
	 * complete. Stored as the lower-case word.
	 */
	enum State {

		RECEIVING, FINISHING, COMPLETE;

		String word() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

		static State of(String word) {
			return valueOf(word.toUpperCase(java.util.Locale.ROOT));
		}

	}

	boolean complete() {
		return this.state == State.COMPLETE;
	}

	Upload withContentType(String contentType) {
		return new Upload(this.id, this.length, this.offset, this.chunks, this.tail, this.filename, contentType,
				this.metadata, this.expiresAt, this.state);
	}

	Upload withState(State state) {
		return new Upload(this.id, this.length, this.offset, this.chunks, this.tail, this.filename, this.contentType,
				this.metadata, this.expiresAt, state);
	}

	Upload advanced(long offset, int chunks, byte[] tail, State state, Instant expiresAt) {
		return new Upload(this.id, this.length, offset, chunks, tail, this.filename, this.contentType, this.metadata,
				expiresAt, state);
	}

}
