package dev.labkafka.api.video;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

import com.mongodb.MongoGridFSException;
import com.mongodb.client.gridfs.GridFSBucket;
import com.mongodb.client.gridfs.GridFSBuckets;
import com.mongodb.client.gridfs.GridFSUploadStream;
import com.mongodb.client.gridfs.model.GridFSFile;
import com.mongodb.client.gridfs.model.GridFSUploadOptions;
import org.bson.BsonObjectId;
import org.bson.Document;
import org.bson.types.ObjectId;

import org.springframework.core.io.AbstractResource;
import org.springframework.core.io.Resource;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.stereotype.Component;

import static com.mongodb.client.model.Filters.eq;

/**
 * The videos' bytes, in GridFS, each under its video's id.
 */
@Component
class VideoFiles {

	private final GridFSBucket bucket;

	VideoFiles(MongoDatabaseFactory databases) {
		this.bucket = GridFSBuckets.create(databases.getMongoDatabase());
	}

	/**
	 * Streams {@code content} into GridFS as it is read, and answers how many bytes it
	 * held. When reading or writing fails half-way, the chunks written so far are
	 * removed, so nothing is left behind.
	 */
	long store(ObjectId id, InputStream content, String filename, String contentType) throws IOException {
		GridFSUploadOptions options = new GridFSUploadOptions().metadata(new Document("contentType", contentType));
		GridFSUploadStream upload = this.bucket.openUploadStream(new BsonObjectId(id), filename, options);
		try {
			long size = content.transferTo(upload);
			upload.close();
			return size;
		}
		catch (IOException | RuntimeException ex) {
			try {
				upload.abort();
			}
			catch (RuntimeException abortFailed) {
				ex.addSuppressed(abortFailed);
			}
			throw ex;
		}
	}

	/** The stored bytes, readable any number of times and from any offset. */
	Optional<Resource> find(ObjectId id) {
		return Optional.ofNullable(this.bucket.find(eq("_id", id)).first()).map(StoredFile::new);
	}

	/** Removes the bytes; nothing happens when there are none. */
	void delete(ObjectId id) {
		try {
			this.bucket.delete(id);
		}
		catch (MongoGridFSException ex) {
			// No such file: already gone.
		}
	}

	/**
	 * A GridFS file as a {@link Resource} that opens a fresh download stream each time,
	 * so that Spring MVC can serve HTTP ranges from it (the driver's stream skips whole
	 * chunks without reading them).
	 */
	private final class StoredFile extends AbstractResource {

		private final GridFSFile file;

		StoredFile(GridFSFile file) {
			this.file = file;
		}

		@Override
		public InputStream getInputStream() throws IOException {
			return VideoFiles.this.bucket.openDownloadStream(this.file.getId());
		}

		@Override
		public long contentLength() {
			return this.file.getLength();
		}

		@Override
		public String getFilename() {
			return this.file.getFilename();
		}

		@Override
		public String getDescription() {
			return "GridFS file " + this.file.getId();
		}

	}

}
