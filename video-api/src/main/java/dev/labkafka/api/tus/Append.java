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
 * {@link #BATCH} chunks, stores the batch's chunks in one insert, moves the record's
 * offset on every {@link #RECORD_EVERY} batches, whenever the lease is due and when the
 * body ends, and keeps the tail (whole chunks stored, the rest in the record). A batch
 * costs one round trip to the database where a chunk at a time cost eight, and the body
 * is read straight into the chunks' own arrays, which go to the driver as they are; only
 * the short last chunk, and a tail taken back from the record, are copied (measured:
 * docs/benchmarks.md). Chunks stored past the recorded offset by an append that died are
 * removed by the one that takes the upload over; its client sends them again. The format
 * is found in the first bytes as soon as they are in. The lease is renewed while bytes
 * arrive, however slowly. Every change is made only while the append still holds the
 * upload: when it does not (terminated, or taken over once the lease ran out), it stops
 * with {@link ApiProblem#UPLOAD_NOT_FOUND} or {@link ApiProblem#UPLOAD_BUSY}. A body that
 * comes too slowly ({@link UploadTooSlow}) or ends early keeps what arrived.
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

	/**
	 * How many batches are stored before the record moves on (16 MB): at most what a
	 * client sends again after an instance died while it wrote.
	 */
	static final int RECORD_EVERY = 16;

	/** How often the lease is renewed while bytes arrive: a few times per lease. */
	private static final Duration RENEW_EVERY = UploadRecords.LEASE.dividedBy(3);

	/**
	 * The batch, one array per chunk, which the body is read into: made as bytes arrive,
	 * handed to the driver as they are, and filled again once stored (the driver has
	 * encoded them by then).
	 */
	private final byte[][] batch = new byte[BATCH][];

	private Upload upload;

	/** The batch's chunks that are full. */
	private int full;

	/** The bytes in the chunk after them. */
	private int filled;

	/** The batches stored since the record last moved on. */
	private int unrecorded;

	private Instant renewed;

	/**
	 * An append to an upload held with {@code token}, its lease taken or last renewed at
	 * {@code leased}.
	 */
	Append(Upload upload, String token, Instant leased, UploadRecords records, GridFsChunks chunks, Clock clock,
			Duration expiration) {
		this.id = upload.id();
		this.token = token;
		this.upload = upload;
		this.records = records;
		this.chunks = chunks;
		this.clock = clock;
		this.expiration = expiration;
		this.renewed = leased;
		byte[] tail = upload.tail();
		System.arraycopy(tail, 0, chunk(0), 0, tail.length);
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
				read = body.read(chunk(this.full), this.filled,
						(int) Math.min(GridFsChunks.CHUNK_SIZE - this.filled, remaining));
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
			if (this.filled == GridFsChunks.CHUNK_SIZE) {
				this.full++;
				this.filled = 0;
			}
			if (this.full == BATCH || remaining == 0) {
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
		int in = this.full * GridFsChunks.CHUNK_SIZE + this.filled;
		if (this.upload.contentType() != null || this.upload.chunks() > 0
				|| (in < VideoFormat.HEADER_LENGTH && !last)) {
			return;
		}
		byte[] header = Arrays.copyOf(this.batch[0], Math.min(in, VideoFormat.HEADER_LENGTH));
		String contentType = VideoFormat.detect(header).orElseThrow(ApiProblem.NOT_A_VIDEO::exception).contentType();
		this.upload = this.upload.withContentType(contentType);
		commit(UploadRecords.contentType(contentType));
	}

	/**
	 * Keeps the upload while bytes arrive, however slowly: the lease is renewed a few
	 * times per lease, on time rather than with the chunks stored, and with it the record
	 * moves on to the chunks stored.
	 */
	private void renewIfDue() {
		Instant now = now();
		if (leaseDue(now)) {
			if (this.unrecorded > 0) {
				record(now, false);
			}
			else {
				commit(UploadRecords.renewed(now.plus(UploadRecords.LEASE)));
				this.renewed = now;
			}
		}
	}

	private boolean leaseDue(Instant now) {
		return now.isAfter(this.renewed.plus(RENEW_EVERY));
	}

	/** The batch's chunk {@code index}, made when it is first needed. */
	private byte[] chunk(int index) {
		if (this.batch[index] == null) {
			this.batch[index] = new byte[GridFsChunks.CHUNK_SIZE];
		}
		return this.batch[index];
	}

	/**
	 * The batch's full chunks (and after the last byte, the short last one too) into
	 * GridFS, and the record on when it is due; the chunk not yet full moves to the
	 * batch's start.
	 */
	private void storeChunks(boolean last) {
		boolean withShort = last && this.filled > 0;
		int count = this.full + (withShort ? 1 : 0);
		if (count == 0) {
			return;
		}
		// A store may come after a long wait (a body that broke off): if the lease ran
		// out meanwhile, another append may have taken the upload over, and be writing
		// where these chunks go.
		renewIfDue();
		List<byte[]> chunks = new ArrayList<>(Arrays.asList(this.batch).subList(0, this.full));
		int stored = this.full * GridFsChunks.CHUNK_SIZE;
		if (withShort) {
			chunks.add(Arrays.copyOf(this.batch[this.full], this.filled));
			stored += this.filled;
		}
		if (!this.chunks.store(this.id, this.upload.chunks(), chunks)) {
			// Another append took the upload over (this one's lease ran out) and wrote
			// them.
			throw ApiProblem.UPLOAD_BUSY.exception(this.id.toHexString());
		}
		long offset = this.upload.offset() + stored - this.upload.tail().length;
		int total = this.upload.chunks() + count;
		Instant now = now();
		this.upload = this.upload.advanced(offset, total, new byte[0],
				last ? Upload.State.FINISHING : Upload.State.RECEIVING, now.plus(this.expiration));
		this.unrecorded++;
		if (last || this.unrecorded == RECORD_EVERY || leaseDue(now)) {
			record(now, last);
		}
		if (withShort) {
			this.filled = 0;
		}
		else if (this.full < BATCH) {
			byte[] notFull = this.batch[this.full];
			this.batch[this.full] = this.batch[0];
			this.batch[0] = notFull;
		}
		this.full = 0;
	}

	/**
	 * The record moved on to the chunks stored (after the last one, finishing), the lease
	 * renewed.
	 */
	private void record(Instant now, boolean last) {
		commit(UploadRecords.chunkStored(this.upload.offset(), this.upload.chunks(), this.upload.expiresAt(),
				now.plus(UploadRecords.LEASE), last));
		this.renewed = now;
		this.unrecorded = 0;
	}

	/**
	 * The batch's whole chunks into GridFS, the record on to them and the bytes past them
	 * into it; the upload is let go.
	 */
	private void keepTail() {
		storeChunks(false);
		byte[] tail = Arrays.copyOf(chunk(0), this.filled);
		long offset = this.upload.offset() + this.filled - this.upload.tail().length;
		Instant expires = now().plus(this.expiration);
		commit(UploadRecords.tailKept(offset, this.upload.chunks(), tail, expires));
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
