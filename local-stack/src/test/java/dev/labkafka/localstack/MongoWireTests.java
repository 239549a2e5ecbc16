package dev.labkafka.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import java.util.function.Supplier;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.gridfs.GridFSBucket;
import com.mongodb.client.gridfs.GridFSBuckets;
import com.mongodb.client.gridfs.GridFSDownloadStream;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GridFS files larger than a wire message may be (48 MB) read back whole and from an
 * offset, byte for byte, from the MongoDB-wire server, on both of its stores: the server
 * answers a read of a file's chunks in batches, as MongoDB does.
 */
class MongoWireTests {

	static final long SIZE = 120L << 20;

	@TempDir
	Path data;

	@ParameterizedTest
	@ValueSource(strings = { "memory", "h2" })
	void readsAFileLargerThanAWireMessageWholeAndFromAnOffset(String store) throws Exception {
		try (MongoWire server = server(store); MongoClient client = MongoClients.create(server.uri())) {
			GridFSBucket bucket = GridFSBuckets.create(client.getDatabase(MongoWire.DATABASE));
			ObjectId id = new ObjectId();
			String stored;
			try (DigestInputStream in = new DigestInputStream(bytes(SIZE), sha256());
					OutputStream out = bucket.openUploadStream(new org.bson.BsonObjectId(id), "large.bin")) {
				in.transferTo(out);
				stored = HexFormat.of().formatHex(in.getMessageDigest().digest());
			}

			assertThat(digest(() -> bucket.openDownloadStream(id))).as("read whole").isEqualTo(stored);
			try (GridFSDownloadStream tail = bucket.openDownloadStream(id)) {
				long skipped = tail.skip(SIZE - 1000);
				byte[] last = tail.readAllBytes();
				assertThat(skipped).isEqualTo(SIZE - 1000);
				assertThat(last).hasSize(1000);
				byte[] expected = new byte[(int) SIZE];
				new Random(SIZE).nextBytes(expected);
				assertThat(last).isEqualTo(java.util.Arrays.copyOfRange(expected, (int) SIZE - 1000, (int) SIZE));
			}
			try (GridFSDownloadStream head = bucket.openDownloadStream(id)) {
				assertThat(head.read(new byte[10])).as("a read cut short leaves the server well").isEqualTo(10);
			}
			assertThat(digest(() -> bucket.openDownloadStream(id))).as("read whole again").isEqualTo(stored);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "memory", "h2" })
	void removesAFilesChunksAndNoOtherFiles(String store) throws Exception {
		try (MongoWire server = server(store); MongoClient client = MongoClients.create(server.uri())) {
			com.mongodb.client.MongoDatabase database = client.getDatabase(MongoWire.DATABASE);
			GridFSBucket bucket = GridFSBuckets.create(database);
			com.mongodb.client.gridfs.model.GridFSUploadOptions small = new com.mongodb.client.gridfs.model.GridFSUploadOptions()
				.chunkSizeBytes(1024);
			ObjectId removed = bucket.uploadFromStream("removed", bytes(40 * 1024 + 7), small);
			ObjectId kept = bucket.uploadFromStream("kept", bytes(30 * 1024), small);
			ObjectId cut = bucket.uploadFromStream("cut", bytes(20 * 1024), small);
			com.mongodb.client.MongoCollection<org.bson.Document> chunks = database.getCollection("fs.chunks");

			bucket.delete(removed);
			assertThat(chunks.countDocuments(new org.bson.Document("files_id", removed))).isZero();
			assertThat(chunks.countDocuments(new org.bson.Document("files_id", kept))).isEqualTo(30);

			// From a chunk number on, as the API removes what a dead append left.
			assertThat(chunks
				.deleteMany(new org.bson.Document("files_id", kept).append("n", new org.bson.Document("$gte", 25)))
				.getDeletedCount()).isEqualTo(5);
			assertThat(chunks.countDocuments(new org.bson.Document("files_id", kept))).isEqualTo(25);

			// A file whose first chunks are gone (after a gap, where the removal by
			// number stops) loses the rest too.
			chunks.deleteOne(new org.bson.Document("files_id", cut).append("n", 0));
			chunks.deleteOne(new org.bson.Document("files_id", cut).append("n", 1));
			assertThat(chunks.deleteMany(new org.bson.Document("files_id", cut)).getDeletedCount()).isEqualTo(18);
			assertThat(chunks.countDocuments(new org.bson.Document("files_id", cut))).isZero();
			assertThat(chunks.countDocuments()).isEqualTo(25);
		}
	}

	@Test
	void theLocalStoreReusesTheSpaceOfRemovedDataAfterASecond() {
		H2Backend store = LocalMongo.store(this.data);
		try {
			assertThat(store.getMvStore().getRetentionTime()).isEqualTo(1000);
		}
		finally {
			store.close();
		}
	}

	private MongoWire server(String store) {
		return store.equals("h2")
				? MongoWire.over(new H2Backend(this.data.resolve("mongo.mv").toString()), "127.0.0.1", 0)
				: MongoWire.inMemory("127.0.0.1", 0);
	}

	/** {@code size} bytes, the same for the same size. */
	private static InputStream bytes(long size) {
		byte[] all = new byte[(int) size];
		new Random(size).nextBytes(all);
		return new java.io.ByteArrayInputStream(all);
	}

	private static String digest(Supplier<InputStream> stream) throws IOException {
		try (DigestInputStream in = new DigestInputStream(stream.get(), sha256())) {
			in.transferTo(OutputStream.nullOutputStream());
			return HexFormat.of().formatHex(in.getMessageDigest().digest());
		}
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
