package dev.labkafka.api.video;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.labkafka.api.video.VideoExceptions.InvalidUploadRequest;
import dev.labkafka.api.video.VideoExceptions.NotAVideo;
import dev.labkafka.api.video.VideoExceptions.OffsetMismatch;
import dev.labkafka.api.video.VideoExceptions.UploadBusy;
import dev.labkafka.api.video.VideoExceptions.UploadComplete;
import dev.labkafka.api.video.VideoExceptions.UploadExpired;
import dev.labkafka.api.video.VideoExceptions.UploadNotFound;
import dev.labkafka.api.video.VideoExceptions.UploadTooLarge;
import org.bson.Document;
import org.bson.types.Binary;
import org.bson.types.ObjectId;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Service;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

/**
 * Resumable uploads (the tus protocol's model): an upload is created with its length,
 * receives its bytes in any number of appends, each continuing where the last stopped,
 * and becomes a video once the last byte is in. Every instance of the API can serve any
 * upload: all of its state is in MongoDB.
 * <ul>
 * <li>Its record, in the {@code uploads} collection, holds the offset, and the bytes past
 * the last whole GridFS chunk (the tail, less than one chunk).</li>
 * <li>Its bytes go into GridFS's chunks collection as they arrive, one whole chunk at a
 * time, under the id the video will have; the offset is moved on with each chunk. Once
 * the last byte is in, the file's GridFS document is written and the video is recorded
 * ({@link VideoCatalog#record}): from then on it is an ordinary GridFS file and an
 * ordinary video.</li>
 * <li>An append holds the upload for itself (a lease, renewed with every chunk): a second
 * append meanwhile is refused ({@link UploadBusy}). An append whose client went away
 * keeps what it received. A lease that ran out (its instance died) is taken over, and
 * chunks written past the offset are removed first.</li>
 * <li>An upload that received no bytes for {@code video.api.upload.expiration} expires;
 * {@link #sweep} removes it and its bytes, and GridFS bytes that belong to no video and
 * no upload (what a killed instance leaves behind).</li>
 * </ul>
 */
@Service
class ResumableUploads {

	private static final Logger logger = LoggerFactory.getLogger(ResumableUploads.class);

	static final String COLLECTION = "uploads";

	/** GridFS's default chunk size, which the driver uses for the multipart uploads. */
	static final int CHUNK_SIZE = 255 * 1024;

	/**
	 * How long an append holds an upload without storing a chunk before another may take
	 * it over.
	 */
	static final Duration LEASE = Duration.ofSeconds(10);

	private static final String CHUNKS = "fs.chunks";

	private static final String FILES = "fs.files";

	private static final int SWEEP_BATCH = 500;

	/** The upload record's fields. */
	private static final String LENGTH = "length";

	private static final String OFFSET = "offset";

	private static final String CHUNK_COUNT = "chunks";

	private static final String TAIL = "tail";

	private static final String FILENAME = "filename";

	private static final String CONTENT_TYPE = "contentType";

	private static final String METADATA = "metadata";

	private static final String CREATED_AT = "createdAt";

	private static final String EXPIRES_AT = "expiresAt";

	private static final String STATE = "state";

	private static final String LOCK = "lock";

	private static final String LOCKED_UNTIL = "lockedUntil";

	/**
	 * Receiving bytes; then finishing (all bytes in, the video being recorded); then
	 * complete.
	 */
	private static final String RECEIVING = "receiving";

	private static final String FINISHING = "finishing";

	private static final String COMPLETE = "complete";

	private final MongoTemplate mongo;

	private final VideoCatalog catalog;

	private final VideoFiles files;

	private final VideoApiSettings.Upload settings;

	private final VideoMetrics metrics;

	private final Clock clock = Clock.systemUTC();

	ResumableUploads(MongoTemplate mongo, VideoCatalog catalog, VideoFiles files, VideoApiSettings settings,
			VideoMetrics metrics) {
		this.mongo = mongo;
		this.metrics = metrics;
		this.catalog = catalog;
		this.files = files;
		this.settings = settings.upload();
	}

	/**
	 * Creates an upload of {@code length} bytes; the video will have its id.
	 * @param metadata the client's {@code Upload-Metadata}, kept to be answered back
	 */
	Upload create(long length, @Nullable String filename, String metadata) {
		if (length == 0) {
			throw new InvalidUploadRequest("Upload-Length is 0: a video has at least one byte.");
		}
		long max = this.settings.maxFileSize().toBytes();
		if (length > max) {
			throw new UploadTooLarge(max);
		}
		Instant now = now();
		ObjectId id = new ObjectId();
		Document upload = new Document("_id", id).append(LENGTH, length)
			.append(OFFSET, 0L)
			.append(CHUNK_COUNT, 0)
			.append(FILENAME, VideoCatalog.cleanFilename(filename))
			.append(METADATA, metadata)
			.append(CREATED_AT, Date.from(now))
			.append(EXPIRES_AT, Date.from(now.plus(this.settings.expiration())))
			.append(STATE, RECEIVING)
			.append(LOCK, null);
		this.mongo.insert(upload, COLLECTION);
		this.metrics.resumableUpload("created");
		logger.info("Created upload {} of {} bytes", id, length);
		return Upload.of(upload);
	}

	/**
	 * Where the upload is. One whose bytes are all in but whose video could not be
	 * recorded (the database went away) is finished now, if no append holds it.
	 */
	Upload find(String id) {
		Upload upload = existing(VideoCatalog.parseId(id));
		if (upload.state().equals(FINISHING)) {
			Document claimed = claim(upload.id(), upload.length(), token());
			if (claimed == null) {
				// Its video is being recorded right now: not complete yet.
				throw new UploadBusy(id);
			}
			return finish(Upload.of(claimed), (String) claimed.get(LOCK));
		}
		return upload;
	}

	/**
	 * Appends the bytes of {@code body} at {@code offset}, up to the upload's length, and
	 * answers where the upload is afterwards. A body that ends early (the client went
	 * away) keeps the bytes received.
	 * @param declared the body's length if the client said it, else {@code -1}
	 */
	Upload append(String id, long offset, InputStream body, long declared) {
		ObjectId objectId = VideoCatalog.parseId(id);
		String token = token();
		Document claimed = claim(objectId, offset, token);
		if (claimed == null) {
			Upload upload = existing(objectId);
			if (upload.complete() && offset == upload.length()) {
				// The answer to its last append was lost: nothing more to do.
				return upload;
			}
			throw whyNotClaimed(upload, offset);
		}
		Upload upload = Upload.of(claimed);
		if (upload.state().equals(FINISHING)) {
			return finish(upload, token);
		}
		try {
			checkFits(declared, upload.length(), offset);
		}
		catch (InvalidUploadRequest ex) {
			release(objectId, token);
			throw ex;
		}
		// Chunks past the offset: written by an append whose lease ran out.
		this.mongo.remove(query(where("files_id").is(objectId).and("n").gte(upload.chunks())), CHUNKS);
		return new Append(upload, token).from(body);
	}

	/**
	 * Removes an upload that is not complete, and its bytes.
	 * @throws UploadComplete if it has all its bytes: it is a video now
	 */
	void terminate(String id) {
		ObjectId objectId = VideoCatalog.parseId(id);
		Document removed = this.mongo.findAndRemove(query(where("_id").is(objectId).and(STATE).is(RECEIVING)),
				Document.class, COLLECTION);
		if (removed == null) {
			Upload upload = existing(objectId);
			throw new UploadComplete(upload.id().toHexString());
		}
		removeBytes(objectId);
		this.metrics.resumableUpload("terminated");
		logger.info("Terminated upload {}", id);
	}

	/**
	 * Removes expired uploads and their bytes, forgets complete uploads once they expire,
	 * finishes uploads whose finishing was cut short, and removes GridFS bytes that
	 * belong to no video and no upload once they are older than
	 * {@code video.api.upload.expiration}.
	 */
	void sweep() {
		Date now = Date.from(now());
		Criteria free = new Criteria().orOperator(where(LOCK).is(null), where(LOCKED_UNTIL).lt(now));
		for (Document expired : this.mongo.find(
				query(where(STATE).is(RECEIVING).and(EXPIRES_AT).lt(now).andOperator(free)).limit(SWEEP_BATCH),
				Document.class, COLLECTION)) {
			ObjectId id = expired.getObjectId("_id");
			Document removed = this.mongo.findAndRemove(
					query(where("_id").is(id).and(STATE).is(RECEIVING).and(EXPIRES_AT).lt(now).andOperator(free)),
					Document.class, COLLECTION);
			if (removed != null) {
				removeBytes(id);
				this.metrics.resumableUpload("expired");
				logger.info("Removed upload {}: it expired at {} with {} of {} bytes", id, expired.get(EXPIRES_AT),
						expired.get(OFFSET), expired.get(LENGTH));
			}
		}
		this.mongo.remove(query(where(STATE).is(COMPLETE).and(EXPIRES_AT).lt(now)), COLLECTION);
		for (Document pending : this.mongo.find(query(where(STATE).is(FINISHING).andOperator(free)), Document.class,
				COLLECTION)) {
			try {
				find(pending.getObjectId("_id").toHexString());
			}
			catch (UploadNotFound | UploadExpired | UploadBusy ex) {
				// Gone meanwhile.
			}
		}
		removeOrphanBytes();
	}

	/**
	 * GridFS files of the uploads' bucket (found by their first chunk) that no video and
	 * no upload owns and that nothing was written to for the expiration: a multipart
	 * upload cut short by a killed instance leaves such chunks.
	 */
	private void removeOrphanBytes() {
		ObjectId cutoff = ObjectId.getSmallestWithDate(Date.from(now().minus(this.settings.expiration())));
		Query firstChunks = query(where("files_id").lt(cutoff).and("n").is(0));
		firstChunks.fields().include("files_id");
		List<ObjectId> batch = new ArrayList<>();
		try (var chunks = this.mongo.stream(firstChunks, Document.class, CHUNKS)) {
			chunks.forEach((chunk) -> {
				batch.add(chunk.getObjectId("files_id"));
				if (batch.size() == SWEEP_BATCH) {
					removeOrphans(batch);
					batch.clear();
				}
			});
		}
		removeOrphans(batch);
	}

	private void removeOrphans(List<ObjectId> candidates) {
		if (candidates.isEmpty()) {
			return;
		}
		Set<ObjectId> owned = new HashSet<>();
		owned.addAll(idsIn(this.mongo.getCollectionName(Video.class), candidates));
		owned.addAll(idsIn(COLLECTION, candidates));
		Date cutoff = Date.from(now().minus(this.settings.expiration()));
		for (ObjectId id : candidates) {
			if (!owned.contains(id) && untouchedSince(id, cutoff)) {
				this.files.delete(id);
				logger.warn("Removed the bytes of {}: they belong to no video and no upload", id);
			}
		}
	}

	/**
	 * Whether the file's newest chunk was written before {@code cutoff} (a chunk's id is
	 * made when it is written): a multipart upload still running writes one every 255 KB.
	 */
	private boolean untouchedSince(ObjectId id, Date cutoff) {
		Query newest = query(where("files_id").is(id)).with(Sort.by(Sort.Direction.DESC, "n")).limit(1);
		newest.fields().include("_id");
		Document chunk = this.mongo.findOne(newest, Document.class, CHUNKS);
		return chunk == null || chunk.getObjectId("_id").getDate().before(cutoff);
	}

	private List<ObjectId> idsIn(String collection, List<ObjectId> ids) {
		Query owners = query(where("_id").in(ids));
		owners.fields().include("_id");
		return this.mongo.find(owners, Document.class, collection)
			.stream()
			.map((owner) -> owner.getObjectId("_id"))
			.toList();
	}

	/**
	 * Takes the upload at {@code offset} for one request, unless another holds it or it
	 * has expired.
	 */
	private @Nullable Document claim(ObjectId id, long offset, String token) {
		Date now = Date.from(now());
		Query claimable = query(where("_id").is(id)
			.and(OFFSET)
			.is(offset)
			.and(STATE)
			.in(RECEIVING, FINISHING)
			.and(EXPIRES_AT)
			.gt(now)
			.orOperator(where(LOCK).is(null), where(LOCKED_UNTIL).lt(now)));
		return this.mongo.findAndModify(claimable, lease(token), FindAndModifyOptions.options().returnNew(true),
				Document.class, COLLECTION);
	}

	/** Why an append could not take the upload. */
	private static RuntimeException whyNotClaimed(Upload upload, long offset) {
		String hex = upload.id().toHexString();
		if (upload.offset() != offset) {
			return new OffsetMismatch(hex, offset, upload.offset());
		}
		return new UploadBusy(hex);
	}

	/** The upload, unless it is unknown or expired. */
	private Upload existing(ObjectId id) {
		Document found = this.mongo.findById(id, Document.class, COLLECTION);
		if (found == null) {
			throw new UploadNotFound(id.toHexString());
		}
		Upload upload = Upload.of(found);
		if (!upload.complete() && upload.expiresAt().isBefore(now())) {
			throw new UploadExpired(id.toHexString());
		}
		if (upload.complete() && !this.mongo.exists(query(where("_id").is(id)), Video.class)) {
			// Its video was deleted since.
			throw new UploadNotFound(id.toHexString());
		}
		return upload;
	}

	/**
	 * Makes the video of an upload whose bytes are all in: the GridFS file's document,
	 * then the video's. Each step may have been done before.
	 */
	private Upload finish(Upload upload, String token) {
		Document file = new Document("_id", upload.id()).append("length", upload.length())
			.append("chunkSize", CHUNK_SIZE)
			.append("uploadDate", Date.from(now()))
			.append("filename", upload.filename())
			.append("metadata", new Document("contentType", upload.contentType()));
		try {
			try {
				this.mongo.insert(file, FILES);
			}
			catch (DuplicateKeyException ex) {
				// Written by a finish that was cut short.
			}
			this.catalog.record(upload.id(), upload.length(), upload.filename(), upload.contentType());
		}
		catch (RuntimeException ex) {
			release(upload.id(), token);
			throw ex;
		}
		this.mongo.updateFirst(query(where("_id").is(upload.id()).and(LOCK).is(token)),
				new Update().set(STATE, COMPLETE).set(LOCK, null).unset(LOCKED_UNTIL).unset(TAIL), COLLECTION);
		this.metrics.resumableUpload("completed");
		logger.info("Upload {} is complete", upload.id());
		return upload.withState(COMPLETE);
	}

	/**
	 * Lets the upload go, if the database can be reached, for the next request to go on.
	 */
	private void release(ObjectId id, String token) {
		try {
			this.mongo.updateFirst(query(where("_id").is(id).and(LOCK).is(token)),
					new Update().set(LOCK, null).unset(LOCKED_UNTIL), COLLECTION);
		}
		catch (DataAccessException ex) {
			// The lease runs out by itself.
		}
	}

	private void removeBytes(ObjectId id) {
		try {
			this.files.delete(id);
		}
		catch (DataAccessException ex) {
			// The orphan sweep removes them once the database is back.
			logger.warn("The bytes of upload {} will be removed by a later sweep: {}", id, ex.toString());
		}
	}

	private Update lease(String token) {
		return new Update().set(LOCK, token).set(LOCKED_UNTIL, Date.from(now().plus(LEASE)));
	}

	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
	}

	private static String token() {
		return UUID.randomUUID().toString();
	}

	/**
	 * Refuses a body whose declared length ({@code -1}: not declared) goes past the
	 * upload's length from {@code offset}.
	 */
	static void checkFits(long declared, long length, long offset) {
		if (declared > length - offset) {
			throw new InvalidUploadRequest("The body's " + declared + " bytes go past the upload's length, " + length
					+ ", from offset " + offset + ".");
		}
	}

	/**
	 * One append: reads the body chunk by chunk, stores each whole chunk and moves the
	 * offset on, and keeps the tail when the body ends.
	 */
	private final class Append {

		private final ObjectId id;

		private final String token;

		private Upload upload;

		private final byte[] chunk = new byte[CHUNK_SIZE];

		private int filled;

		private Instant renewed = now();

		Append(Upload upload, String token) {
			this.id = upload.id();
			this.token = token;
			this.upload = upload;
			byte[] tail = upload.tail();
			System.arraycopy(tail, 0, this.chunk, 0, tail.length);
			this.filled = tail.length;
		}

		Upload from(InputStream body) {
			long remaining = this.upload.length() - this.upload.offset();
			try {
				while (remaining > 0) {
					int read;
					try {
						read = body.read(this.chunk, this.filled, (int) Math.min(CHUNK_SIZE - this.filled, remaining));
					}
					catch (IOException ex) {
						keepTail();
						throw new InvalidUploadRequest("The body ended before it was complete ("
								+ ex.getClass().getSimpleName() + "); the bytes received are kept.");
					}
					if (read == -1) {
						break;
					}
					renewIfDue();
					this.filled += read;
					remaining -= read;
					sniff(remaining == 0);
					if (this.filled == CHUNK_SIZE || remaining == 0) {
						storeChunk(remaining == 0);
					}
				}
				if (remaining == 0) {
					return finish(this.upload, this.token);
				}
				keepTail();
				return this.upload;
			}
			catch (NotAVideo ex) {
				terminate(this.id.toHexString());
				throw ex;
			}
		}

		/** The format, from the first bytes, as soon as they are in. */
		private void sniff(boolean last) {
			if (this.upload.contentType() != null || this.upload.chunks() > 0
					|| (this.filled < VideoFormat.HEADER_LENGTH && !last)) {
				return;
			}
			byte[] header = Arrays.copyOf(this.chunk, Math.min(this.filled, VideoFormat.HEADER_LENGTH));
			String contentType = VideoFormat.detect(header).orElseThrow(NotAVideo::new).contentType();
			this.upload = this.upload.withContentType(contentType);
			commit(new Update().set(CONTENT_TYPE, contentType));
		}

		/**
		 * Keeps the upload while bytes arrive, however slowly: the lease is renewed a few
		 * times per lease, not only with each whole chunk.
		 */
		private void renewIfDue() {
			Instant now = now();
			if (now.isAfter(this.renewed.plus(LEASE.dividedBy(3)))) {
				commit(new Update().set(LOCKED_UNTIL, Date.from(now.plus(LEASE))));
				this.renewed = now;
			}
		}

		/** The whole chunk (or the last one) into GridFS, then the offset on. */
		private void storeChunk(boolean last) {
			byte[] data = Arrays.copyOf(this.chunk, this.filled);
			try {
				this.mongo()
					.insert(new Document("files_id", this.id).append("n", this.upload.chunks())
						.append("data", new Binary(data)), CHUNKS);
			}
			catch (DuplicateKeyException ex) {
				// Another append took the upload over (this one's lease ran out) and
				// wrote it.
				throw new UploadBusy(this.id.toHexString());
			}
			long offset = this.upload.offset() + this.filled - this.upload.tail().length;
			Date expires = expiry();
			Update update = new Update().set(OFFSET, offset)
				.set(CHUNK_COUNT, this.upload.chunks() + 1)
				.unset(TAIL)
				.set(EXPIRES_AT, expires)
				.set(LOCKED_UNTIL, Date.from(now().plus(LEASE)));
			if (last) {
				update.set(STATE, FINISHING);
			}
			commit(update);
			this.renewed = now();
			this.upload = this.upload.advanced(offset, this.upload.chunks() + 1, new byte[0],
					last ? FINISHING : RECEIVING, expires.toInstant());
			this.filled = 0;
		}

		/** The bytes past the last whole chunk into the record; the upload is let go. */
		private void keepTail() {
			byte[] tail = Arrays.copyOf(this.chunk, this.filled);
			long offset = this.upload.offset() + this.filled - this.upload.tail().length;
			Date expires = expiry();
			commit(new Update().set(OFFSET, offset)
				.set(TAIL, new Binary(tail))
				.set(EXPIRES_AT, expires)
				.set(LOCK, null)
				.unset(LOCKED_UNTIL));
			this.upload = this.upload.advanced(offset, this.upload.chunks(), tail, RECEIVING, expires.toInstant());
		}

		/** Changes the record, as long as this append still holds the upload. */
		private void commit(Update update) {
			if (this.mongo()
				.updateFirst(query(where("_id").is(this.id).and(LOCK).is(this.token)), update, COLLECTION)
				.getMatchedCount() == 0) {
				throw whyLost();
			}
		}

		/**
		 * The upload was terminated, or taken over by another append once the lease ran
		 * out.
		 */
		private RuntimeException whyLost() {
			Document found = this.mongo().findById(this.id, Document.class, COLLECTION);
			if (found == null) {
				removeBytes(this.id);
				return new UploadNotFound(this.id.toHexString());
			}
			return new UploadBusy(this.id.toHexString());
		}

		private Date expiry() {
			return Date.from(now().plus(ResumableUploads.this.settings.expiration()));
		}

		private MongoTemplate mongo() {
			return ResumableUploads.this.mongo;
		}

	}

	/** An upload's record. */
	record Upload(ObjectId id, long length, long offset, int chunks, byte[] tail, String filename,
			@Nullable String contentType, String metadata, Instant expiresAt, String state) {

		static Upload of(Document record) {
			Binary tail = record.get(TAIL, Binary.class);
			return new Upload(record.getObjectId("_id"), ((Number) record.get(LENGTH)).longValue(),
					((Number) record.get(OFFSET)).longValue(), ((Number) record.get(CHUNK_COUNT)).intValue(),
					(tail != null) ? tail.getData() : new byte[0], record.getString(FILENAME),
					record.getString(CONTENT_TYPE), record.getString(METADATA), record.getDate(EXPIRES_AT).toInstant(),
					record.getString(STATE));
		}

		boolean complete() {
			return this.state.equals(COMPLETE);
		}

		Upload withContentType(String contentType) {
			return new Upload(this.id, this.length, this.offset, this.chunks, this.tail, this.filename, contentType,
					this.metadata, this.expiresAt, this.state);
		}

		Upload withState(String state) {
			return new Upload(this.id, this.length, this.offset, this.chunks, this.tail, this.filename,
					this.contentType, this.metadata, this.expiresAt, state);
		}

		Upload advanced(long offset, int chunks, byte[] tail, String state, Instant expiresAt) {
			return new Upload(this.id, this.length, offset, chunks, tail, this.filename, this.contentType,
					this.metadata, expiresAt, state);
		}

	}

}
