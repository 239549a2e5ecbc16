package dev.labkafka.localstack;

import java.util.List;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import io.netty.channel.Channel;
import org.jspecify.annotations.Nullable;

/**
 * Removals of one GridFS file's chunks answered from the store's unique index on
 * {@code (files_id, n)}, one chunk at a time, instead of the MongoDB-wire server's scan.
 * <p>
 * The server uses an index only for a query that gives every key of it: the driver's
 * removal of a file's chunks ({@code delete} on a {@code *.chunks} collection by
 * {@code files_id} alone, or from a chunk number on) makes it read and decode every chunk
 * of the collection, while holding the collection. With 1 GB stored, removing a 1 MB
 * video took 0.5-0.7 s instead of 5-15 ms, and every read of a video's bytes waited
 * behind it (measured; docs/benchmarks.md). Here the chunks are removed by number from
 * the first on until one is not there: what the removal costs grows with the file, not
 * with the store.
 * <p>
 * Both writers of chunks (the driver's upload stream and the API's resumable uploads)
 * number them from 0 without gaps. The chunks after the first asked for are removed
 * first, and it last, so that a removal cut short leaves a file that still starts where
 * it did. When no chunk is there from the first asked for on (no such file, or chunks
 * left after a gap), the server's own removal runs, which finds any chunk wherever it is.
 */
final class ChunkDeletes {

	private final MongoBackend backend;

	ChunkDeletes(MongoBackend backend) {
		this.backend = backend;
	}

	/**
	 * The answer to a removal of files' chunks, or {@code null} when the command is not
	 * one (the server answers it then).
	 */
	@Nullable Document delete(Channel channel, String database, Document command) {
		if (!(command.get("delete") instanceof String collection) || !collection.endsWith(".chunks")
				|| !(command.get("deletes") instanceof List<?> statements) || statements.isEmpty()) {
			return null;
		}
		for (Object statement : statements) {
			if (range(statement) == null) {
				return null;
			}
		}
		long removed = 0;
		for (Object statement : statements) {
			Range range = range(statement);
			long run = 0;
			// The first chunk last: a removal cut short leaves it, so the file is still
			// found by its first chunk (as the API's sweep finds orphans) and removed
			// again.
			for (long n = range.from() + 1L; n <= Integer.MAX_VALUE
					&& removeOne(channel, database, collection, range.file(), (int) n) > 0; n++) {
				run++;
			}
			long first = removeOne(channel, database, collection, range.file(), range.from());
			if (run == 0 && first == 0) {
				removed += removeAll(channel, database, collection, ((Document) statement).get("q"));
			}
			else {
				removed += run + first;
			}
		}
		Document answer = new Document();
		answer.put("n", removed);
		answer.put("ok", 1.0);
		return answer;
	}

	/**
	 * The file and first chunk number of a statement that removes one file's chunks (all
	 * of them, or from a number on), or {@code null} for any other.
	 */
	private static @Nullable Range range(Object statement) {
		if (!(statement instanceof Document delete) || !(delete.get("q") instanceof Document filter)
				|| !(delete.get("limit") instanceof Number limit) || limit.intValue() != 0
				|| delete.keySet().stream().anyMatch((key) -> !key.equals("q") && !key.equals("limit"))) {
			return null;
		}
		Object file = filter.get("files_id");
		// One file, named by a value that matches only itself (no pattern, no list).
		if (!(file instanceof ObjectId || file instanceof String || file instanceof Integer || file instanceof Long)
				|| !filter.keySet().stream().allMatch((key) -> key.equals("files_id") || key.equals("n"))) {
			return null;
		}
		Object n = filter.get("n");
		if (n == null) {
			return new Range(file, 0);
		}
		if (n instanceof Document from && from.size() == 1 && from.get("$gte") instanceof Number first
				&& (first instanceof Integer || first instanceof Long) && first.longValue() >= 0
				&& first.longValue() <= Integer.MAX_VALUE) {
			return new Range(file, first.intValue());
		}
		return null;
	}

	private long removeOne(Channel channel, String database, String collection, Object file, int n) {
		Document filter = new Document("files_id", file);
		filter.put("n", n);
		Document statement = new Document("q", filter);
		statement.put("limit", 1);
		return remove(channel, database, collection, statement);
	}

	private long removeAll(Channel channel, String database, String collection, Object filter) {
		Document statement = new Document("q", filter);
		statement.put("limit", 0);
		return remove(channel, database, collection, statement);
	}

	private long remove(Channel channel, String database, String collection, Document statement) {
		Document delete = new Document("delete", collection);
		delete.put("deletes", List.of(statement));
		Document answer = this.backend.handleCommand(channel, database, "delete", delete);
		Object count = answer.get("n");
		return (count instanceof Number number) ? number.longValue() : 0;
	}

	private record Range(Object file, int from) {
	}

}
