package dev.labkafka.api.catalog;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import com.mongodb.MongoException;
import com.mongodb.MongoGridFSException;
import com.mongodb.client.gridfs.GridFSBucket;
import com.mongodb.client.gridfs.model.GridFSFile;
import dev.labkafka.api.problems.UnreadableContent;
import dev.labkafka.videos.StoredMedia;
import org.bson.BsonValue;
import org.bson.Document;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.AbstractResource;
import org.springframework.core.io.Resource;

/**
 * A GridFS file as a {@link Resource} that opens a fresh download stream each time, so
 * that Spring MVC can serve HTTP ranges from it (the driver's stream skips whole chunks
 * without reading them). A read that fails, because the database went away or a chunk is
 * missing, fails as {@link UnreadableContent}: a problem if the answer has not begun, a
 * closed connection if it has.
 */
final class StoredFile extends AbstractResource {

	/** A read of stored bytes. */
	private interface Read<T> {

		T get() throws IOException;

	}

	private final GridFSBucket bucket;

	private final GridFSFile file;

	private final String what;

	StoredFile(GridFSBucket bucket, GridFSFile file, String what) {
		this.bucket = bucket;
		this.file = file;
		this.what = what;
	}

	@Override
	public InputStream getInputStream() throws IOException {
		InputStream stream = readable(() -> this.bucket.openDownloadStream(this.file.getId()));
		return new FilterInputStream(stream) {

			@Override
			public int read() throws IOException {
				return readable(super::read);
			}

			@Override
			public int read(byte[] bytes, int offset, int length) throws IOException {
				return readable(() -> super.read(bytes, offset, length));
			}

			@Override
			public long skip(long count) throws IOException {
				return readable(() -> super.skip(count));
			}

		};
	}

	/** The file's HLS media playlist, when the worker stored one with it. */
	@Nullable String playlist() {
		Document metadata = this.file.getMetadata();
		return (metadata != null) ? metadata.getString(StoredMedia.PLAYLIST_METADATA) : null;
	}

	private <T> T readable(Read<T> read) throws IOException {
		try {
			return read.get();
		}
		catch (MongoGridFSException ex) {
			throw UnreadableContent.damaged(this.what, owner(), ex);
		}
		catch (MongoException ex) {
			// Unreachable, timed out, its connection pool cleared by another failure,
			// the cursor lost: the database's doing, asking again later may work.
			throw UnreadableContent.outage(this.what + " of video " + owner(), ex);
		}
	}

	private String owner() {
		BsonValue id = this.file.getId();
		if (id.isObjectId()) {
			return id.asObjectId().getValue().toHexString();
		}
		String name = id.asString().getValue();
		int slash = name.indexOf('/');
		return (slash > 0) ? name.substring(0, slash) : name;
	}

	/**
	 * A tag that changes whenever the file is stored again: its id and when it was
	 * stored.
	 */
	String tag() {
		BsonValue id = this.file.getId();
		String name = id.isObjectId() ? id.asObjectId().getValue().toHexString() : id.asString().getValue();
		return name.replace('/', '-') + "-" + this.file.getUploadDate().getTime();
	}

	@Override
	public long lastModified() {
		return this.file.getUploadDate().getTime();
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
