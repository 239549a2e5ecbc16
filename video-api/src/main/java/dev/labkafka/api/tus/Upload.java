package dev.labkafka.api.tus;

import java.time.Instant;

import org.bson.types.ObjectId;
import org.jspecify.annotations.Nullable;

import org.springframework.data.mongodb.core.index.CompoundIndex;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One resumable upload, as its record in the {@code uploads} collection holds it
 * ({@link UploadRecords}, which reads and writes the records itself). The collection's
 * indexes are declared here, as {@code Video}'s are, and made at startup
 * ({@code spring.data.mongodb.auto-index-creation}): {@code expiry} finds the expired
 * uploads for the sweep and counts the open ones, {@code client} counts one client's.
 *
 * @param id the upload's id, which its video will have
 * @param key the secret of its address ({@code UploadAddress})
 * @param owner the subject of the token that created it, when writes need a token: no
 * other may reach it
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
@Document(UploadRecords.COLLECTION)
@CompoundIndex(name = "expiry", def = "{'" + UploadRecords.STATE + "': 1, '" + UploadRecords.EXPIRES_AT + "': 1}")
@CompoundIndex(name = "client", def = "{'" + UploadRecords.CLIENT + "': 1, '" + UploadRecords.STATE + "': 1, '"
		+ UploadRecords.EXPIRES_AT + "': 1}")
record Upload(ObjectId id, String key, @Nullable String owner, long length, long offset, int chunks, byte[] tail,
		String filename, @Nullable String contentType, String metadata, Instant expiresAt, State state) {

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
		return new Upload(this.id, this.key, this.owner, this.length, this.offset, this.chunks, this.tail,
				this.filename, contentType, this.metadata, this.expiresAt, this.state);
	}

	Upload withState(State state) {
		return new Upload(this.id, this.key, this.owner, this.length, this.offset, this.chunks, this.tail,
				this.filename, this.contentType, this.metadata, this.expiresAt, state);
	}

	Upload advanced(long offset, int chunks, byte[] tail, State state, Instant expiresAt) {
		return new Upload(this.id, this.key, this.owner, this.length, offset, chunks, tail, this.filename,
				this.contentType, this.metadata, expiresAt, state);
	}

}
