package dev.labkafka.api.catalog;

import java.io.ByteArrayInputStream;

import dev.labkafka.testsupport.MongoWireServer;
import dev.labkafka.testsupport.SampleVideos;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.mongodb.core.SimpleMongoClientDatabaseFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bytes that could not be removed while the database was down, removed once it is
 * back, on a MongoDB-wire server.
 */
class VideoFilesTests {

	final SimpleMongoClientDatabaseFactory databases = new SimpleMongoClientDatabaseFactory(
			MongoWireServer.shared().uri());

	final VideoFiles files = new VideoFiles(this.databases);

	@AfterEach
	void close() throws Exception {
		this.databases.destroy();
	}

	@Test
	void removesRememberedBytesThatBelongToNoVideoAndKeepsThoseOfAVideoThatExistsAfterAll() {
		ObjectId orphan = stored();
		ObjectId stored = stored();
		this.files.removeLater(orphan);
		this.files.removeLater(stored);

		this.files.removeAbandoned((id) -> id.equals(orphan));

		assertThat(this.files.find(orphan)).as("belongs to no video").isEmpty();
		assertThat(this.files.find(stored)).as("its document was stored after all").isPresent();
		this.files.delete(stored);
		this.files.removeAbandoned((id) -> true);
		assertThat(this.files.find(stored)).as("forgotten once decided").isEmpty();
	}

	private ObjectId stored() {
		ObjectId id = new ObjectId();
		this.files.store(id, new ByteArrayInputStream(SampleVideos.mp4()), "clip.mp4", "video/mp4");
		return id;
	}

}
