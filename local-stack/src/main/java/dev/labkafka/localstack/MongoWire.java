package dev.labkafka.localstack;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Collection;
import java.util.List;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import io.netty.channel.Channel;

/**
 * A MongoDB-wire server in this process, standing in for {@code mongod} where none can
 * run: {@code make run}'s (on an H2 file) and the tests' (in memory) are both made here,
 * so they answer alike. It reports MongoDB 5.0 (wire version 13), so that mongosh 2.x
 * connects, and answers {@code hello} (MongoDB 4.4+; Spring Boot's health check and newer
 * drivers send it) as {@code isMaster}, which is all the server itself knows.
 */
public final class MongoWire implements AutoCloseable {

	/** The database the services use. */
	public static final String DATABASE = "nthu_distributed_system";

	/** What the server reports to clients: MongoDB 5.0.0, wire version 13. */
	static final MongoVersion VERSION = new MongoVersion() {

		@Override
		public List<Integer> getVersionArray() {
			return List.of(5, 0, 0);
		}

		@Override
		public int getWireVersion() {
			return 13;
		}

	};

	private final MongoServer server;

	private final InetSocketAddress address;

	private MongoWire(MongoBackend backend, String host, int port) {
		this.server = new MongoServer(new Answering(backend.version(VERSION)));
		this.server.bind(host, port);
		this.address = this.server.getLocalAddress();
	}

	/**
	 * A server that keeps its data in memory, listening on {@code host} and {@code port}
	 * ({@code 0}: a free one).
	 */
	public static MongoWire inMemory(String host, int port) {
		return new MongoWire(new MemoryBackend(), host, port);
	}

	/** A server over {@code backend} (an H2 file's, for instance). */
	public static MongoWire over(MongoBackend backend, String host, int port) {
		return new MongoWire(backend, host, port);
	}

	/** The port it listens on. */
	public int port() {
		return this.address.getPort();
	}

	/** A connection string to this server's {@link #DATABASE}. */
	public String uri() {
		return "mongodb://" + this.address.getHostString() + ":" + this.address.getPort() + "/" + DATABASE;
	}

	/** Stops the server, letting the backend write what it holds (an H2 file). */
	@Override
	public void close() {
		this.server.shutdown();
	}

	/** Stops the server at once. */
	public void closeNow() {
		this.server.shutdownNow();
	}

	/**
	 * The backend, with the answers the server itself does not give: {@code hello},
	 * GridFS reads in batches ({@link ChunkReads}), and removals of a file's chunks by
	 * index ({@link ChunkDeletes}).
	 */
	private static final class Answering implements MongoBackend {

		private final MongoBackend backend;

		private final ChunkReads chunkReads;

		private final ChunkDeletes chunkDeletes;

		Answering(MongoBackend backend) {
			this.backend = backend;
			this.chunkReads = new ChunkReads(backend);
			this.chunkDeletes = new ChunkDeletes(backend);
		}

		@Override
		public Document handleCommand(Channel channel, String database, String command, Document query) {
			if ("hello".equalsIgnoreCase(command)) {
				Document reply = this.backend.handleCommand(channel, database, "isMaster", query);
				reply.put("isWritablePrimary", reply.get("ismaster"));
				return reply;
			}
			if ("find".equalsIgnoreCase(command)) {
				Document read = this.chunkReads.find(channel, database, query);
				if (read != null) {
					return read;
				}
			}
			if ("delete".equalsIgnoreCase(command)) {
				Document removed = this.chunkDeletes.delete(channel, database, query);
				if (removed != null) {
					return removed;
				}
			}
			if ("getMore".equalsIgnoreCase(command) && query.get(command) instanceof Number cursor
					&& this.chunkReads.owns(cursor.longValue())) {
				return this.chunkReads.getMore(channel, database, query);
			}
			if ("killCursors".equalsIgnoreCase(command) && query.get("cursors") instanceof List<?> cursors) {
				this.chunkReads.kill(cursors);
			}
			return this.backend.handleCommand(channel, database, command, query);
		}

		@Override
		public void handleClose(Channel channel) {
			this.backend.handleClose(channel);
		}

		@Override
		public QueryResult handleQuery(MongoQuery query) {
			return this.backend.handleQuery(query);
		}

		/** An {@code OP_MSG}: its command is the document's first key. */
		@Override
		public Document handleMessage(MongoMessage message) {
			Document document = message.getDocument();
			String command = document.keySet().iterator().next();
			return handleCommand(message.getChannel(), message.getDatabaseName(), command, document);
		}

		@Override
		public void dropDatabase(String database) {
			this.backend.dropDatabase(database);
		}

		@Override
		public Collection<Document> getCurrentOperations(MongoQuery query) {
			return this.backend.getCurrentOperations(query);
		}

		@Override
		public Document getServerStatus() {
			return this.backend.getServerStatus();
		}

		@Override
		public void close() {
			this.backend.close();
		}

		@Override
		public void closeCursors(List<Long> cursorIds) {
			this.backend.closeCursors(cursorIds);
		}

		@Override
		public Clock getClock() {
			return this.backend.getClock();
		}

		@Override
		public void enableOplog() {
			this.backend.enableOplog();
		}

		@Override
		public void disableOplog() {
			this.backend.disableOplog();
		}

		@Override
		public MongoDatabase resolveDatabase(String database) {
			return this.backend.resolveDatabase(database);
		}

		@Override
		public MongoBackend version(MongoVersion version) {
			this.backend.version(version);
			return this;
		}

	}

}
