package dev.labkafka.testsupport;

import dev.labkafka.localstack.MongoWire;

/**
 * The tests' MongoDB-wire server ({@link MongoWire}, in memory), on a free loopback port,
 * for tests that need a real MongoDB protocol peer where no {@code mongod} can run. Tests
 * share {@link #shared() one server per JVM} and keep apart by using fresh ids.
 */
public final class MongoWireServer {

	/** The database the services use. */
	public static final String DATABASE = MongoWire.DATABASE;

	private MongoWireServer() {
	}

	private static final class Holder {

		static final MongoWire SHARED = MongoWire.inMemory("127.0.0.1", 0);

		static {
			Runtime.getRuntime().addShutdownHook(new Thread(SHARED::closeNow, "mongo-wire-server-shutdown"));
		}

	}

	/** The server of this JVM, started on first use and stopped when the JVM exits. */
	public static MongoWire shared() {
		return Holder.SHARED;
	}

}
