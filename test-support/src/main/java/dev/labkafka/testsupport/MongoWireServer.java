package dev.labkafka.testsupport;

import java.net.InetSocketAddress;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.netty.channel.Channel;

/**
 * A MongoDB-wire server in this JVM, on a free loopback port, for tests that need a real
 * MongoDB protocol peer where no {@code mongod} can run. Tests share {@link #shared() one
 * server per JVM} and keep apart by using fresh ids.
 */
public final class MongoWireServer {

	/** The database the services use. */
	public static final String DATABASE = "nthu_distributed_system";

	private final MongoServer server;

	private final InetSocketAddress address;

	private MongoWireServer() {
		this.server = new MongoServer(new MemoryBackend() {

			/**
			 * Answers {@code hello} (MongoDB 4.4+, used by Boot's health check) as
			 * {@code isMaster}.
			 */
			@Override
			public Document handleCommand(Channel channel, String database, String command, Document query) {
				if ("hello".equalsIgnoreCase(command)) {
					Document reply = super.handleCommand(channel, database, "isMaster", query);
					reply.put("isWritablePrimary", reply.get("ismaster"));
					return reply;
				}
				return super.handleCommand(channel, database, command, query);
			}

		});
		this.server.bind("127.0.0.1", 0);
		this.address = this.server.getLocalAddress();
	}

	private static final class Holder {

		static final MongoWireServer SHARED = new MongoWireServer();

		static {
			Runtime.getRuntime().addShutdownHook(new Thread(SHARED::close, "mongo-wire-server-shutdown"));
		}

	}

	/** The server of this JVM, started on first use and stopped when the JVM exits. */
	public static MongoWireServer shared() {
		return Holder.SHARED;
	}

	/** The loopback port it listens on. */
	public int port() {
		return this.address.getPort();
	}

	/** A connection string to this server's {@link #DATABASE}. */
	public String uri() {
		return "mongodb://127.0.0.1:" + this.address.getPort() + "/" + DATABASE;
	}

	private void close() {
		this.server.shutdownNow();
	}

}
