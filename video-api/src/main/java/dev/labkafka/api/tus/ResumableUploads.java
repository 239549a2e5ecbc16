package dev.labkafka.api.tus;

import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import dev.labkafka.api.VideoApiSettings;
import dev.labkafka.api.catalog.VideoCatalog;
import dev.labkafka.api.catalog.VideoFiles;
import dev.labkafka.api.problems.ApiProblem;
import dev.labkafka.api.problems.ProblemException;
import dev.labkafka.api.tus.access.UploadAddress;
import dev.labkafka.api.tus.limits.CreationLimits;
import dev.labkafka.api.upload.Uploads;
import dev.labkafka.videos.Video;
import org.bson.types.ObjectId;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.data.mongodb.core.MongoOperations;
import org.springframework.stereotype.Service;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

/**
 * Resumable uploads (the tus protocol's model): an upload is created with its length,
 * receives its bytes in any number of appends, each continuing where the last stopped,
 * and becomes a video once the last byte is in. Every instance of the API can serve any
 * upload: all of its state is in MongoDB.
 * <ul>
 * <li>Its record ({@link UploadRecords}) holds the offset, and the bytes past the last
 * whole GridFS chunk (the tail, less than one chunk).</li>
 * <li>Its bytes go into GridFS's chunks as they arrive ({@link GridFsChunks}), whole
 * chunks four to an insert, under the id the video will have; the record's offset moves
 * on every 16 MB, with the lease and when the append ends ({@link Append}). Once the last
 * byte is in, the file's GridFS document is written and the video is recorded
 * ({@link VideoCatalog#record}): from then on it is an ordinary GridFS file and an
 * ordinary video.</li>
 * <li>An append holds the upload with a lease: a second append meanwhile is refused
 * ({@link ApiProblem#UPLOAD_BUSY}). An append whose client went away keeps what it
 * received. A lease that ran out (its instance died) is taken over, and chunks written
 * past the offset are removed first.</li>
 * <li>An upload that received no bytes for {@code video.api.upload.expiration} expires;
 * {@link UploadSweep} removes it and its bytes.</li>
 * <li>An upload is reached by its address ({@link UploadAddress}), whose key only its
 * creator was told, and, when writes need a token, by the subject that created it only;
 * to anyone else it does not exist. Creations are bounded ({@link CreationLimits}).</li>
 * </ul>
 */
@Service
class ResumableUploads {

	private static final Logger logger = LoggerFactory.getLogger(ResumableUploads.class);

	private final UploadRecords records;

	private final GridFsChunks chunks;

	private final VideoCatalog catalog;

	private final VideoFiles files;

	private final MongoOperations mongo;

	private final VideoApiSettings.Upload settings;

	private final TusMetrics metrics;

	private final CreationLimits limits;

	private final Clock clock = Clock.systemUTC();

	ResumableUploads(UploadRecords records, GridFsChunks chunks, VideoCatalog catalog, VideoFiles files,
			MongoOperations mongo, VideoApiSettings settings, TusMetrics metrics, CreationLimits limits) {
		this.records = records;
		this.chunks = chunks;
		this.catalog = catalog;
		this.files = files;
		this.mongo = mongo;
		this.settings = settings.upload();
		this.metrics = metrics;
		this.limits = limits;
	}

	/**
	 * Creates an upload of {@code length} bytes; the video will have its id.
	 * @param metadata the client's {@code Upload-Metadata}, kept to be answered back
	 * @param owner the subject of the client's token, when writes need one: only it may
	 * reach the upload
	 * @param client who asks, as its uploads are counted and its rate kept
	 */
	Upload create(long length, @Nullable String filename, String metadata, @Nullable String owner, String client) {
		if (length == 0) {
			throw ApiProblem.INVALID_UPLOAD_REQUEST.exception("Upload-Length is 0: a video has at least one byte.");
		}
		long max = this.settings.maxFileSize().toBytes();
		if (length > max) {
			throw Uploads.tooLarge(max);
		}
		Instant now = now();
		this.limits.check(client, () -> this.records.openBy(client, now), () -> this.records.open(now));
		UploadAddress address = UploadAddress.generate(new ObjectId());
		Upload upload = this.records.create(address.video(), address.key(), owner, client, length,
				Uploads.cleanFilename(filename), metadata, now, now.plus(this.settings.expiration()));
		this.metrics.resumableUpload("created");
		logger.info("Created upload {} of {} bytes", upload.id(), length);
		return upload;
	}

	/**
	 * Where the upload is. One whose bytes are all in but whose video could not be
	 * recorded (the database went away) is finished now, if no append holds it.
	 */
	Upload find(UploadAddress address, @Nullable String owner) {
		Upload upload = existing(address, owner);
		if (upload.state() == Upload.State.FINISHING) {
			String id = upload.id().toHexString();
			String token = token();
			UploadRecords.Claim claimed = this.records.claim(upload.id(), upload.length(), token, now());
			if (claimed == null) {
				// Its video is being recorded right now: not complete yet.
				throw ApiProblem.UPLOAD_BUSY.exception(id);
			}
			return finish(claimed.upload(), token);
		}
		return upload;
	}

	/**
	 * Appends the bytes of {@code body} at {@code offset}, up to the upload's length, and
	 * answers where the upload is afterwards. A body that ends early (the client went
	 * away) keeps the bytes received.
	 * @param declared the body's length if the client said it, else {@code -1}
	 */
	Upload append(UploadAddress address, @Nullable String owner, long offset, InputStream body, long declared) {
		ObjectId objectId = existing(address, owner).id();
		String token = token();
		Instant claimedAt = now();
		UploadRecords.Claim claim = this.records.claim(objectId, offset, token, claimedAt);
		if (claim == null) {
			Upload current = existing(address, owner);
			if (current.complete() && offset == current.length()) {
				// The answer to its last append was lost: nothing more to do.
				return current;
			}
			throw whyNotClaimed(current, offset);
		}
		Upload upload = claim.upload();
		if (upload.state() == Upload.State.FINISHING) {
			return finish(upload, token);
		}
		if (claim.takenOver()) {
			// Chunks past the offset: written by an append that died holding the
			// upload. Only then: on the MongoDB-wire server the removal reads every
			// chunk of the collection (most of a tus upload's database time, measured).
			this.chunks.removeFrom(objectId, upload.chunks());
		}
		try {
			checkFits(declared, upload.length(), offset);
		}
		catch (ProblemException ex) {
			this.records.release(objectId, token);
			throw ex;
		}

		try {
			Upload appended = new Append(upload, token, claimedAt, this.records, this.chunks, this.clock,
					this.settings.expiration())
				.from(body);
			return (appended.state() == Upload.State.FINISHING) ? finish(appended, token) : appended;
		}
		catch (ProblemException ex) {
			if (ex.is(ApiProblem.NOT_A_VIDEO)) {
				terminate(address, owner);
			}
			else if (ex.is(ApiProblem.UPLOAD_NOT_FOUND)) {
				// Terminated while it was being written.
				removeBytes(objectId);
			}
			throw ex;
		}
	}

	/**
	 * Removes an upload that is not complete, and its bytes.
	 * @throws ProblemException {@link ApiProblem#UPLOAD_COMPLETE} if it has all its
	 * bytes: it is a video now
	 */
	void terminate(UploadAddress address, @Nullable String owner) {
		ObjectId objectId = existing(address, owner).id();
		if (!this.records.removeReceiving(objectId)) {
			Upload upload = existing(address, owner);
			String hex = upload.id().toHexString();
			throw ApiProblem.UPLOAD_COMPLETE.exception(hex, hex);
		}
		removeBytes(objectId);
		this.metrics.resumableUpload("terminated");
		logger.info("Terminated upload {}", objectId);
	}

	/** Why an append could not take the upload. */
	private static ProblemException whyNotClaimed(Upload upload, long offset) {
		String hex = upload.id().toHexString();
		if (upload.offset() != offset) {
			return ApiProblem.OFFSET_MISMATCH.exception(hex, upload.offset(), offset).with("offset", upload.offset());
		}
		return ApiProblem.UPLOAD_BUSY.exception(hex);
	}

	/**
	 * The upload, unless it is unknown, its address's key is not its own, it is another
	 * subject's, or it expired. The first three are told apart from nothing: all are 404.
	 */
	private Upload existing(UploadAddress address, @Nullable String owner) {
		ObjectId id = address.video();
		Upload upload = this.records.find(id);
		if (upload == null || !address.opens(upload.key())
				|| (upload.owner() != null && !upload.owner().equals(owner))) {
			throw ApiProblem.UPLOAD_NOT_FOUND.exception(id.toHexString());
		}
		if (!upload.complete() && upload.expiresAt().isBefore(now())) {
			throw ApiProblem.UPLOAD_EXPIRED.exception(id.toHexString());
		}
		if (upload.complete() && !this.mongo.exists(query(where("_id").is(id)), Video.class)) {
			// Its video was deleted since.
			throw ApiProblem.UPLOAD_NOT_FOUND.exception(id.toHexString());
		}
		return upload;
	}

	/**
	 * Makes the video of an upload whose bytes are all in: the GridFS file's document,
	 * then the video's. Each step may have been done before.
	 */
	private Upload finish(Upload upload, String token) {
		try {
			this.chunks.finish(upload.id(), upload.length(), upload.filename(), upload.contentType(), now());
			this.catalog.record(upload.id(), upload.length(), upload.filename(), upload.contentType());
		}
		catch (RuntimeException ex) {
			this.records.release(upload.id(), token);
			throw ex;
		}
		this.records.completed(upload.id(), token);
		this.metrics.resumableUpload("completed");
		logger.info("Upload {} is complete", upload.id());
		return upload.withState(Upload.State.COMPLETE);
	}

	void removeBytes(ObjectId id) {
		try {
			this.files.delete(id);
		}
		catch (DataAccessException ex) {
			// The orphan sweep removes them once the database is back.
			logger.warn("The bytes of upload {} will be removed by a later sweep: {}", id, ex.toString());
		}
	}

	/**
	 * Refuses a body whose declared length ({@code -1}: not declared) goes past the
	 * upload's length from {@code offset}.
	 */
	static void checkFits(long declared, long length, long offset) {
		if (declared > length - offset) {
			throw ApiProblem.INVALID_UPLOAD_REQUEST.exception("The body's " + declared
					+ " bytes go past the upload's length, " + length + ", from offset " + offset + ".");
		}
	}

	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
	}

	private static String token() {
		return UUID.randomUUID().toString();
	}

}
