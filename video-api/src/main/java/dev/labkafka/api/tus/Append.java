package dev.labkafka.api.tus;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.labkafka.api.problems.ApiProblem;
import dev.labkafka.api.upload.UploadTooSlow;
import dev.labkafka.api.upload.VideoFormat;
import org.bson.types.ObjectId;

import org.springframework.data.mongodb.core.query.Update;

/**
 * One append to a resumable upload that it holds: reads the body into a batch of up to
 * {@link #BATCH} chunks, stores the batch's chunks in one insert and moves the offset on
 * once per batch, and keeps the tail when the body ends (whole chunks stored, the rest in
 * the record). A batch costs two round trips to the database where a chunk at a time cost
 * eight, and each chunk's bytes are copied once on their way (measured:
 * docs/benchmarks.md). The format is found in the first bytes as soon as they are in. The
 * lease is renewed while bytes arrive, however slowly. Every change is made only while
 * the append still holds the upload: when it does not (terminated, or taken over once the
 * lease ran out), it stops with {@link ApiProblem#UPLOAD_NOT_FOUND} or
 * {@link ApiProblem#UPLOAD_BUSY}. A body that comes too slowly ({@link UploadTooSlow}) or
 * ends early keeps what arrived.
 */
final class Append {

	private final ObjectId id;

	private final String token;

	private final UploadRecords records;

	private final GridFsChunks chunks;

	private final Clock clock;

	private final Duration expiration;

	/** How many chunks a batch holds: 1 MB, so 32 appends at once hold 32 MB. */
	static final int BATCH = 4;

	private final byte[] batch = new byte[GridFsChunks.CHUNK_SIZE * BATCH];

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
		System.arraycopy(tail, 0, this.batch, 0, tail.length);
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
				read = body.read(this.batch, this.filled, (int) Math.min(this.batch.length - this.filled, remaining));
			}
			catch (UploadTooSlow ex) {
				keepTail();
				throw ex.problem();
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
			if (this.filled == this.batch.length || remaining == 0) {
				storeChunks(remaining == 0);
			}
		}
		if (remaining > 0) {
			keepTail();
		}
		else {
			readEnd(body);
		}
		return this.upload;
	}

	/**
	 * Reads the end of a body that brought the upload's last byte: a chunked one has its
	 * last, empty chunk still to come, and a body not read to its end has its connection
	 * closed. What comes past the upload's length is not kept.
	 */
	private static void readEnd(InputStream body) {
		try {
			body.read();
		}
		catch (IOException ex) {
			// Every byte of the upload is in: how the body ends changes nothing.
		}
	}

	/** The format, from the first bytes, as soon as they are in. */
	private void sniff(boolean last) {
		if (this.upload.contentType() != null || this.upload.chunks() > 0
				|| (this.filled < VideoFormat.HEADER_LENGTH && !last)) {
			return;
		}
		byte[] header = Arrays.copyOf(this.batch, Math.min(this.filled, VideoFormat.HEADER_LENGTH));
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

	/**
	 * The batch's whole chunks (and after the last byte, the last one too) into GridFS,
	 * then the offset on; what is left of the batch moves to its start.
	 */
	private void storeChunks(boolean last) {
		int count = last ? (this.filled + GridFsChunks.CHUNK_SIZE - 1) / GridFsChunks.CHUNK_SIZE
				: this.filled / GridFsChunks.CHUNK_SIZE;
		if (count == 0) {
			return;
		}
		int stored = last ? this.filled : count * GridFsChunks.CHUNK_SIZE;
		List<byte[]> chunks = new ArrayList<>(count);
		for (int from = 0; from < stored; from += GridFsChunks.CHUNK_SIZE) {
			chunks.add(Arrays.copyOfRange(this.batch, from, Math.min(from + GridFsChunks.CHUNK_SIZE, stored)));
		}
		if (!this.chunks.store(this.id, this.upload.chunks(), chunks)) {
			// Another append took the upload over (this one's lease ran out) and wrote
			// them.
			throw ApiProblem.UPLOAD_BUSY.exception(this.id.toHexString());
		}
		long offset = this.upload.offset() + stored - this.upload.tail().length;
		int total = this.upload.chunks() + count;
		Instant now = now();
		Instant expires = now.plus(this.expiration);
		commit(UploadRecords.chunkStored(offset, total, expires, now.plus(UploadRecords.LEASE), last));
		this.renewed = now;
		this.upload = this.upload.advanced(offset, total, new byte[0],
				last ? Upload.State.FINISHING : Upload.State.RECEIVING, expires);
		System.arraycopy(this.batch, stored, this.batch, 0, this.filled - stored);
		this.filled -= stored;
	}

	/**
	 * The batch's whole chunks into GridFS, the bytes past them into the record; the
	 * upload is let go.
	 */
	private void keepTail() {
		storeChunks(false);
		byte[] tail = Arrays.copyOf(this.batch, this.filled);
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
