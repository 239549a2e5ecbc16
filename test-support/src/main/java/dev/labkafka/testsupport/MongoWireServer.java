package dev.labkafka.testsupport;

import java.net.InetSocketAddress;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/**
 * A MongoDB-wire server in this JVM, on a free loopback port, for tests that need a real
 * MongoDB protocol peer where no {@code mongod} can run. Start one per test class and
 * {@link #close()} it afterwards.
 */
public final class MongoWireServer implements AutoCloseable {

	/** The database the services use. */
	public static final String DATABASE = "nthu_distributed_system";

	private final MongoServer server;

	private final InetSocketAddress address;

	private MongoWireServer() {
		this.server = new MongoServer(new MemoryBackend());
		this.server.bind("127.0.0.1", 0);
		this.address = this.server.getLocalAddress();
	}

	public static MongoWireServer start() {
		return new MongoWireServer();
	}

	/** A connection string to this server's {@link #DATABASE}. */
	public String uri() {
		return "mongodb://127.0.0.1:" + this.address.getPort() + "/" + DATABASE;
	}

	@Override
	public void close() {
		this.server.shutdownNow();
	}

}
