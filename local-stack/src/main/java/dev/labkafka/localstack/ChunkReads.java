package dev.labkafka.localstack;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import org.jspecify.annotations.Nullable;

/**
 * GridFS reads answered the way MongoDB answers them: in batches of at most
 * {@link #BATCH_BYTES}, continued with {@code getMore}. The MongoDB-wire server answers a
 * query in one reply, holding every result at once: a GridFS file's chunks over about 48
 * MB make a reply larger than a wire message may be, which the driver refuses, so a large
 * video could be stored but never read back. A read of one file's chunks (the driver's:
 * {@code find} on a {@code *.chunks} collection by {@code files_id}, from a chunk number
 * on, in order) is answered here instead, one chunk at a time from the store's unique
 * index on {@code (files_id, n)}, a batch at a time: whatever the file's size, no reply
 * is larger than a batch and no more than a batch is held in memory.
 */
final class ChunkReads {

	/** The most bytes of chunks in one reply (MongoDB's own limit is 16 MiB). */
	static final long BATCH_BYTES = 8L << 20;

	/** How long a read that nobody continues is kept. */
	private static final long IDLE_NANOS = 10L * 60 * 1_000_000_000L;

	/** Cursor ids of these reads, far from the server's own (which count up from 1). */
	private final AtomicLong ids = new AtomicLong(1L << 62);

	private final Map<Long, Read> reads = new ConcurrentHashMap<>();

	private final MongoBackend backend;

	ChunkReads(MongoBackend backend) {
		this.backend = backend;
	}

	/**
	 * The first batch of a read of one file's chunks, or {@code null} when the command is
	 * not such a read.
	 */
	@Nullable Document find(Channel channel, String database, Document command) {
		Object collection = command.get("find");
		if (!(collection instanceof String name) || !name.endsWith(".chunks") || command.containsKey("skip")
				|| command.containsKey("limit") || command.containsKey("projection")) {
			return null;
		}
		if (!(command.get("filter") instanceof Document filter) || !ascendingByNumber(command.get("sort"))) {
			return null;
		}
		Object file = filter.get("files_id");
		Integer from = from(filter);
		if (file == null || file instanceof Document || from == null
				|| !filter.keySet().stream().allMatch((key) -> key.equals("files_id") || key.equals("n"))) {
			return null;
		}
		forgetIdle();
		Read read = new Read(database, name, file, from, batchSize(command));
		long id = this.ids.incrementAndGet();
		List<Document> batch = read.next(channel);
		if (!read.done) {
			this.reads.put(id, read);
		}
		return response(database + "." + name, "firstBatch", batch, read.done ? 0 : id);
	}

	/** Whether {@code cursor} is one of these reads. */
	boolean owns(long cursor) {
		return this.reads.containsKey(cursor);
	}

	/** The next batch of a read. */
	Document getMore(Channel channel, String database, Document command) {
		long id = ((Number) command.get("getMore")).longValue();
		Read read = this.reads.get(id);
		int batchSize = batchSize(command);
		if (batchSize > 0) {
			read.batchSize = batchSize;
		}
		List<Document> batch = read.next(channel);
		if (read.done) {
			this.reads.remove(id);
		}
		return response(database + "." + read.collection, "nextBatch", batch, read.done ? 0 : id);
	}

	/** Forgets the reads among {@code cursors}: the client closed them early. */
	void kill(List<?> cursors) {
		for (Object cursor : cursors) {
			if (cursor instanceof Number id) {
				this.reads.remove(id.longValue());
			}
		}
	}

	private void forgetIdle() {
		long now = System.nanoTime();
		this.reads.values().removeIf((read) -> now - read.used > IDLE_NANOS);
	}

	/** The first chunk number: none given is 0; {@code {$gte: k}} is k. */
	private static @Nullable Integer from(Document filter) {
		Object n = filter.get("n");
		if (n == null) {
			return 0;
		}
		if (n instanceof Document range && range.size() == 1 && range.get("$gte") instanceof Number first) {
			return first.intValue();
		}
		return null;
	}

	private static boolean ascendingByNumber(@Nullable Object sort) {
		if (sort == null) {
			return true;
		}
		return sort instanceof Document order && order.size() == 1 && order.get("n") instanceof Number direction
				&& direction.intValue() == 1;
	}

	private static int batchSize(Document command) {
		Object size = command.get("batchSize");
		return (size instanceof Number number) ? Math.max(0, number.intValue()) : 0;
	}

	private static Document response(String namespace, String key, List<Document> batch, long id) {
		Document cursor = new Document();
		cursor.put("id", id);
		cursor.put("ns", namespace);
		cursor.put(key, batch);
		Document response = new Document();
		response.put("cursor", cursor);
		response.put("ok", 1.0);
		return response;
	}

	/** The bytes a chunk takes: its data, which is nearly all of it. */
	private static long size(Document chunk) {
		Object data = chunk.get("data");
		if (data instanceof byte[] bytes) {
			return bytes.length;
		}
		if (data instanceof BinData binary) {
			return binary.getData().length;
		}
		return 64;
	}

	/** One read of one file's chunks: where it is. */
	private final class Read {

		private final String database;

		private final String collection;

		private final Object file;

		private int next;

		private int batchSize;

		private boolean done;

		private long used = System.nanoTime();

		Read(String database, String collection, Object file, int next, int batchSize) {
			this.database = database;
			this.collection = collection;
			this.file = file;
			this.next = next;
			this.batchSize = batchSize;
		}

		/** The next chunks, up to a batch; {@link #done} once the file has no more. */
		List<Document> next(Channel channel) {
			this.used = System.nanoTime();
			List<Document> batch = new ArrayList<>();
			long bytes = 0;
			while (bytes < BATCH_BYTES && (this.batchSize == 0 || batch.size() < this.batchSize)) {
				Document chunk = chunk(channel, this.next);
				if (chunk == null) {
					this.done = true;
					break;
				}
				batch.add(chunk);
				bytes += size(chunk);
				this.next++;
			}
			return batch;
		}

		@SuppressWarnings("unchecked")
		private @Nullable Document chunk(Channel channel, int n) {
			Document filter = new Document("files_id", this.file);
			filter.put("n", n);
			Document find = new Document("find", this.collection);
			find.put("filter", filter);
			find.put("limit", 1);
			find.put("singleBatch", true);
			Document answer = ChunkReads.this.backend.handleCommand(channel, this.database, "find", find);
			Object cursor = answer.get("cursor");
			if (!(cursor instanceof Document found)) {
				return null;
			}
			List<Document> batch = (List<Document>) found.get("firstBatch");
			return (batch == null || batch.isEmpty()) ? null : batch.get(0);
		}

	}

}
