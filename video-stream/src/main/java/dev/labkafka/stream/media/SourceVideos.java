package dev.labkafka.stream.media;

import java.io.InputStream;
import java.util.Optional;

import com.mongodb.MongoGridFSException;
import com.mongodb.client.gridfs.GridFSBucket;
import com.mongodb.client.gridfs.GridFSBuckets;
import com.mongodb.client.gridfs.model.GridFSFile;
import com.mongodb.client.model.Filters;
import org.bson.types.ObjectId;

import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.stereotype.Component;

/**
 * The originals' bytes, as the API stored them: in GridFS, under the video's id. The
 * worker reads a video's source from here, never through the {@code url} in its messages:
 * that is the API's public address, for clients, and from inside a container it may lead
 * nowhere.
 */
@Component
public class SourceVideos {

	private final GridFSBucket bucket;

	SourceVideos(MongoDatabaseFactory databases) {
		this.bucket = GridFSBuckets.create(databases.getMongoDatabase());
	}

	/** The original's bytes, from the start; empty when the video has none (any more). */
	public Optional<InputStream> open(String id) {
		try {
			return Optional.of(this.bucket.openDownloadStream(new ObjectId(id)));
		}
		catch (MongoGridFSException ex) {
			return Optional.empty();
		}
	}

	/**
	 * How many bytes the original has; empty when the video has none (any more). Its
	 * stream skips whole chunks without reading them, so a reader can start anywhere.
	 */
	public Optional<Long> length(String id) {
		GridFSFile file = this.bucket.find(Filters.eq("_id", new ObjectId(id))).first();
		return Optional.ofNullable(file).map(GridFSFile::getLength);
	}

}
