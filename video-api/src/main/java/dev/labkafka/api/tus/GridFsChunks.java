package dev.labkafka.api.tus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

import org.bson.BsonBinary;
import org.bson.Document;
import org.bson.types.ObjectId;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoOperations;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

/**
 * A resumable upload's bytes, written into GridFS's default bucket by hand, the way the
 * driver lays a file out: {@code fs.chunks} documents of {@link #CHUNK_SIZE} bytes
 * ({@code files_id}, {@code n}, {@code data}) as they arrive, across any number of
 * requests and instances, then, once the last byte is in, the {@code fs.files} document
 * that makes them one ordinary GridFS file, which the driver reads. The driver's upload
 * stream cannot do this: it lives in one request.
 */
@Component
class GridFsChunks {

	/** GridFS's default chunk size, which the driver uses for the multipart uploads. */
	static final int CHUNK_SIZE = 255 * 1024;

	private static final String CHUNKS = "fs.chunks";

	private static final String FILES = "fs.files";

	private static final String FILES_ID = "files_id";

	private static final String N = "n";

	private final MongoOperations mongo;

	GridFsChunks(MongoOperations mongo) {
		this.mongo = mongo;
	}

	/**
	 * Stores these chunks of the file, the first as chunk {@code first}, in one insert.
	 * Their bytes go to the driver as they are (a {@link BsonBinary} is not copied, where
	 * a {@code Binary} is copied twice).
	 * @return false when one is stored already (another request wrote it)
	 */
	boolean store(ObjectId file, int first, List<byte[]> data) {
		List<Document> documents = new ArrayList<>(data.size());
		for (int i = 0; i < data.size(); i++) {
			documents
				.add(new Document(FILES_ID, file).append(N, first + i).append("data", new BsonBinary(data.get(i))));
		}
		try {
			this.mongo.execute(CHUNKS, (collection) -> collection.insertMany(documents));
			return true;
		}
		catch (DuplicateKeyException ex) {
			return false;
		}
	}

	/** Removes the file's chunks from {@code n} on (written past an offset). */
	void removeFrom(ObjectId file, int n) {
		this.mongo.remove(query(where(FILES_ID).is(file).and(N).gte(n)), CHUNKS);
	}

	/**
	 * Writes the file's {@code fs.files} document, unless a finish cut short wrote it
	 * already.
	 */
	void finish(ObjectId file, long length, String filename, String contentType, Instant at) {
		Document document = new Document("_id", file).append("length", length)
			.append("chunkSize", CHUNK_SIZE)
			.append("uploadDate", Date.from(at))
			.append("filename", filename)
			.append("metadata", new Document("contentType", contentType));
		try {
			this.mongo.insert(document, FILES);
		}
		catch (DuplicateKeyException ex) {
			// Written by a finish that was cut short.
		}
	}

	/**
	 * The files (by their first chunk) made before {@code before}, in batches of
	 * {@code size}, until {@code batches} says to stop: a file's id is made when its
	 * upload starts.
	 */
	void filesMadeBefore(Instant before, int size, Predicate<List<ObjectId>> batches) {
		ObjectId cutoff = ObjectId.getSmallestWithDate(Date.from(before));
		Query firstChunks = query(where(FILES_ID).lt(cutoff).and(N).is(0));
		firstChunks.fields().include(FILES_ID);
		List<ObjectId> batch = new ArrayList<>();
		try (var chunks = this.mongo.stream(firstChunks, Document.class, CHUNKS)) {
			Iterator<Document> each = chunks.iterator();
			while (each.hasNext()) {
				batch.add(each.next().getObjectId(FILES_ID));
				if (batch.size() == size) {
					if (!batches.test(List.copyOf(batch))) {
						return;
					}
					batch.clear();
				}
			}
		}
		if (!batch.isEmpty()) {
			batches.test(List.copyOf(batch));
		}
	}

	/**
	 * Whether the file's newest chunk was written before {@code cutoff} (a chunk's id is
	 * made when it is written): a multipart upload still running writes one every 255 KB.
	 */
	boolean untouchedSince(ObjectId file, Instant cutoff) {
		Query newest = query(where(FILES_ID).is(file)).with(Sort.by(Sort.Direction.DESC, N)).limit(1);
		newest.fields().include("_id");
		Document chunk = this.mongo.findOne(newest, Document.class, CHUNKS);
		return chunk == null || chunk.getObjectId("_id").getDate().before(Date.from(cutoff));
	}

}
