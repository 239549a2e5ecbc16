package dev.labkafka.stream.media;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import dev.labkafka.testsupport.MongoWireServer;
import dev.labkafka.videos.StoredMedia;
import org.bson.Document;
import org.bson.types.Binary;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.data.mongodb.core.SimpleMongoClientDatabaseFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the worker stores for a video, on the MongoDB-wire server: removing all of it
 * leaves no file or chunk under the video's id, also of an upload still under way, and
 * touches no other video's.
 */
class MediaStoreTests {

	final MongoClient client = MongoClients.create(MongoWireServer.shared().uri());

	final MongoDatabase database = this.client.getDatabase(MongoWireServer.DATABASE);

	final MediaStore store = new MediaStore(
			new SimpleMongoClientDatabaseFactory(this.client, MongoWireServer.DATABASE));

	@TempDir
	Path work;

	@AfterEach
	void close() {
		this.client.close();
	}

	@Test
	void deletingAllOfAVideoRemovesItsRenditionsPosterFrameAndChunksOfAnUnfinishedUpload() throws Exception {
		String deleted = new ObjectId().toHexString();
		String other = new ObjectId().toHexString();
		Path file = Files.write(this.work.resolve("file"), new byte[1000]);
		this.store.storeRendition(deleted, 360, file, "#EXTM3U");
		this.store.storeRendition(deleted, 720, file, "#EXTM3U");
		this.store.storeThumbnail(deleted, file);
		// An upload under way: GridFS writes a file's chunks first, its entry last.
		this.database.getCollection(StoredMedia.RENDITIONS_BUCKET + ".chunks")
			.insertOne(new Document("files_id", StoredMedia.renditionId(deleted, 1080)).append("n", 0)
				.append("data", new Binary(new byte[10])));
		this.store.storeRendition(other, 360, file, "#EXTM3U");
		this.store.storeThumbnail(other, file);

		this.store.deleteAll(deleted);

		assertThat(stored(deleted)).isZero();
		assertThat(stored(other)).as("the other video's files and chunks, one each").isEqualTo(4);
	}

	/** Files and chunks of the video in the renditions and thumbnails buckets. */
	private long stored(String id) {
		long count = 0;
		for (String bucket : List.of(StoredMedia.RENDITIONS_BUCKET, StoredMedia.THUMBNAILS_BUCKET)) {
			count += count(bucket + ".files", "_id", id) + count(bucket + ".chunks", "files_id", id);
		}
		return count;
	}

	private long count(String collection, String field, String id) {
		return this.database.getCollection(collection)
			.countDocuments(new Document("$or", List.of(new Document(field, new ObjectId(id)),
					new Document(field, new Document("$regex", "^" + StoredMedia.ownedBy(id))))));
	}

}
