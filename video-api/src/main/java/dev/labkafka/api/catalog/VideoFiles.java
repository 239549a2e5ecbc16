package dev.labkafka.api.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

import com.mongodb.MongoGridFSException;
import com.mongodb.client.gridfs.GridFSBucket;
import com.mongodb.client.gridfs.GridFSBuckets;
import com.mongodb.client.gridfs.GridFSUploadStream;
import com.mongodb.client.gridfs.model.GridFSFile;
import com.mongodb.client.gridfs.model.GridFSUploadOptions;
import dev.labkafka.videos.StoredMedia;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.data.mongodb.core.MongoExceptionTranslator;
import org.springframework.stereotype.Component;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.regex;

/**
 * The videos' bytes, in GridFS, each under its video's id. The driver's exceptions come
 * out as Spring's {@link DataAccessException}s, as from the rest of Spring Data: an
 * unreachable database is a {@link DataAccessResourceFailureException}, which the API
 * answers with 503.
 * <p>
 * Bytes that cannot be removed at once because the database is unreachable (what an
 * upload that failed half-way leaves) are remembered and removed by
 * {@link #removeAbandoned} once the database is back, rather than holding the request for
 * a second timeout.
 */
@Component
public class VideoFiles {

	private static final Logger logger = LoggerFactory.getLogger(VideoFiles.class);

	private final GridFSBucket bucket;

	private final GridFSBucket thumbnails;

	private final GridFSBucket renditions;

	private final MongoExceptionTranslator translator = new MongoExceptionTranslator();

	private final Set<ObjectId> abandoned = ConcurrentHashMap.newKeySet();

	VideoFiles(MongoDatabaseFactory databases) {
		this.bucket = GridFSBuckets.create(databases.getMongoDatabase());
		this.thumbnails = GridFSBuckets.create(databases.getMongoDatabase(), StoredMedia.THUMBNAILS_BUCKET);
		this.renditions = GridFSBuckets.create(databases.getMongoDatabase(), StoredMedia.RENDITIONS_BUCKET);
	}

	/**
	 * Streams {@code content} into GridFS as it is read, and answers how many bytes it
	 * held. When reading or writing fails half-way, the chunks written so far are removed
	 * (at once, or once the database is back), so nothing is left behind.
	 */
	public long store(ObjectId id, InputStream content, String filename, String contentType) {
		GridFSUploadOptions options = new GridFSUploadOptions().metadata(new Document("contentType", contentType));
		GridFSUploadStream upload = translated(
				() -> this.bucket.openUploadStream(new BsonObjectId(id), filename, options));
		try {
			long size = content.transferTo(upload);
			upload.close();
			return size;
		}
		catch (IOException | RuntimeException ex) {
			RuntimeException failure = translate(ex);
			discard(id, upload, failure);
			throw failure;
		}
	}

	private void discard(ObjectId id, GridFSUploadStream upload, RuntimeException failure) {
		if (failure instanceof DataAccessResourceFailureException) {
			removeLater(id);
			return;
		}
		try {
			upload.abort();
		}
		catch (RuntimeException abortFailed) {
			failure.addSuppressed(abortFailed);
			removeLater(id);
		}
	}

	/**
	 * Checks GridFS's indexes (the driver does so before its first upload) without
	 * storing anything.
	 */
	public void warmUp() {
		translated(() -> {
			this.bucket.openUploadStream(new BsonObjectId(new ObjectId()), "warm-up").abort();
			return null;
		});
	}

	/** The stored bytes, readable any number of times and from any offset. */
	Optional<StoredFile> find(ObjectId id) {
		return find(this.bucket, new BsonObjectId(id), "The original");
	}

	/** The video's poster frame, once the worker has stored it. */
	Optional<StoredFile> thumbnail(ObjectId id) {
		return find(this.thumbnails, new BsonObjectId(id), "The poster frame");
	}

	/** The rendition the worker encoded at {@code scale}, once it is stored. */
	Optional<StoredFile> rendition(ObjectId id, int scale) {
		return find(this.renditions, new BsonString(StoredMedia.renditionId(id.toHexString(), scale)),
				"The rendition " + scale);
	}

	private Optional<StoredFile> find(GridFSBucket bucket, BsonValue id, String what) {
		return translated(() -> Optional.ofNullable(bucket.find(eq("_id", id)).first())
			.map((file) -> new StoredFile(bucket, file, what)));
	}

	/**
	 * Removes the video's bytes and what the worker made of them (poster frame,
	 * renditions); nothing happens for what is not there.
	 */
	public void delete(ObjectId id) {
		delete(this.bucket, new BsonObjectId(id));
		delete(this.thumbnails, new BsonObjectId(id));
		translated(() -> {
			// A hex id and a slash: nothing in it a pattern would read otherwise.
			String prefix = StoredMedia.ownedBy(id.toHexString());
			for (GridFSFile file : this.renditions.find(regex("_id", "^" + prefix))) {
				delete(this.renditions, file.getId());
			}
			return null;
		});
	}

	private void delete(GridFSBucket bucket, BsonValue id) {
		translated(() -> {
			try {
				bucket.delete(id);
			}
			catch (MongoGridFSException ex) {
				// No such file (its chunks, if any, are removed all the same).
			}
			return null;
		});
	}

	/**
	 * Removes the bytes once the database can be reached: for an upload that failed while
	 * it could not.
	 */
	public void removeLater(ObjectId id) {
		logger.warn("The bytes of video {} will be removed once the database is back", id);
		this.abandoned.add(id);
	}

	/**
	 * Removes what {@link #removeLater} remembered and {@code orphan} agrees belongs to
	 * no video, as far as the database allows.
	 */
	void removeAbandoned(Predicate<ObjectId> orphan) {
		for (ObjectId id : this.abandoned) {
			try {
				if (orphan.test(id)) {
					delete(id);
					logger.info("Removed the bytes of failed upload {}", id);
				}
				this.abandoned.remove(id);
			}
			catch (DataAccessException ex) {
				return;
			}
		}
	}

	private <T> T translated(Supplier<T> operation) {
		try {
			return operation.get();
		}
		catch (RuntimeException ex) {
			throw translate(ex);
		}
	}

	private RuntimeException translate(Exception ex) {
		if (ex instanceof IOException io) {
			return new UncheckedIOException(io);
		}
		RuntimeException runtime = (RuntimeException) ex;
		DataAccessException translated = this.translator.translateExceptionIfPossible(runtime);
		return (translated != null) ? translated : runtime;
	}

}
