package dev.labkafka.api.tus;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;

import dev.labkafka.api.problems.ApiProblem;
import dev.labkafka.api.upload.VideoFormat;
import org.bson.types.ObjectId;

import org.springframework.data.mongodb.core.query.Update;

/**
 * One append to a resumable upload that it holds: reads the body chunk by chunk, stores
 * each whole chunk and moves the offset on, and keeps the tail when the body ends. The
 * format is found in the first bytes as soon as they are in. The lease is renewed while
 * bytes arrive, however slowly. Every change is made only while the append still holds
 * the upload: when it does not (terminated, or taken over once the lease ran out), it
 * stops with {@link ApiProblem#UPLOAD_NOT_FOUND} or {@link ApiProblem#UPLOAD_BUSY}.
 */
final class Append {

	private final ObjectId id;

	private final String token;

	private final UploadRecords records;

	private final GridFsChunks chunks;

	private final Clock clock;

	private final Duration expiration;

	private final byte[] chunk = new byte[GridFsChunks.CHUNK_SIZE];

	private Upload upload;

	private int filled;

	private Instant renewed;

	Append(Upload upload, String token, UploadRecords records, GridFsChunks chunks, Clock clock, Duration expiration) {
		this.id = upload.id();
		this.token = token;
		this.upload = upload;
		this.records = records;
		this.chunks = chunks;
		this.clock = clock;
		this.expiration = expiration;
		this.renewed = now();
		byte[] tail = upload.tail();
		System.arraycopy(tail, 0, this.chunk, 0, tail.length);
		this.filled = tail.length;
	}

	/**
	 * Reads the body up to the upload's length.
	 * @return the upload afterwards: {@link Upload.State#FINISHING} once its last byte is
	 * in, else receiving, let go, with what arrived kept
	 */
	Upload from(InputStream body) {
		long remaining = this.upload.length() - this.upload.offset();
		while (remaining > 0) {
			int read;
			try {
				read = body.read(this.chunk, this.filled,
						(int) Math.min(GridFsChunks.CHUNK_SIZE - this.filled, remaining));
			}
			catch (IOException ex) {
				keepTail();
				throw ApiProblem.INVALID_UPLOAD_REQUEST.exception("The body ended before it was complete ("
						+ ex.getClass().getSimpleName() + "); the bytes received are kept.");
			}
			if (read == -1) {
				break;
			}
			renewIfDue();
			this.filled += read;
			remaining -= read;
			sniff(remaining == 0);
			if (this.filled == GridFsChunks.CHUNK_SIZE || remaining == 0) {
				storeChunk(remaining == 0);
			}
		}
		if (remaining > 0) {
			keepTail();
		}
		return this.upload;
	}

	/** The format, from the first bytes, as soon as they are in. */
	private void sniff(boolean last) {
		if (this.upload.contentType() != null || this.upload.chunks() > 0
				|| (this.filled < VideoFormat.HEADER_LENGTH && !last)) {
			return;
		}
		byte[] header = Arrays.copyOf(this.chunk, Math.min(this.filled, VideoFormat.HEADER_LENGTH));
		String contentType = VideoFormat.detect(header).orElseThrow(ApiProblem.NOT_A_VIDEO::exception).contentType();
		this.upload = this.upload.withContentType(contentType);
		commit(UploadRecords.contentType(contentType));
	}

	/**
	 * Keeps the upload while bytes arrive, however slowly: the lease is renewed a few
	 * times per lease, not only with each whole chunk.
	 */
	private void renewIfDue() {
		Instant now = now();
		if (now.isAfter(this.renewed.plus(UploadRecords.LEASE.dividedBy(3)))) {
			commit(UploadRecords.renewed(now.plus(UploadRecords.LEASE)));
			this.renewed = now;
		}
	}

	/** The whole chunk (or the last one) into GridFS, then the offset on. */
	private void storeChunk(boolean last) {
		if (!this.chunks.store(this.id, this.upload.chunks(), Arrays.copyOf(this.chunk, this.filled))) {
			// Another append took the upload over (this one's lease ran out) and wrote
			// it.
			throw ApiProblem.UPLOAD_BUSY.exception(this.id.toHexString());
		}
		long offset = this.upload.offset() + this.filled - this.upload.tail().length;
		Instant now = now();
		Instant expires = now.plus(this.expiration);
		commit(UploadRecords.chunkStored(offset, this.upload.chunks() + 1, expires, now.plus(UploadRecords.LEASE),
				last));
		this.renewed = now;
		this.upload = this.upload.advanced(offset, this.upload.chunks() + 1, new byte[0],
				last ? Upload.State.FINISHING : Upload.State.RECEIVING, expires);
		this.filled = 0;
	}

	/** The bytes past the last whole chunk into the record; the upload is let go. */
	private void keepTail() {
		byte[] tail = Arrays.copyOf(this.chunk, this.filled);
		long offset = this.upload.offset() + this.filled - this.upload.tail().length;
		Instant expires = now().plus(this.expiration);
		commit(UploadRecords.tailKept(offset, tail, expires));
		this.upload = this.upload.advanced(offset, this.upload.chunks(), tail, Upload.State.RECEIVING, expires);
	}

	/** Changes the record, as long as this append still holds the upload. */
	private void commit(Update change) {
		if (!this.records.commit(this.id, this.token, change)) {
			throw (this.records.find(this.id) == null) ? ApiProblem.UPLOAD_NOT_FOUND.exception(this.id.toHexString())
					: ApiProblem.UPLOAD_BUSY.exception(this.id.toHexString());
		}
	}

	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
	}

}
