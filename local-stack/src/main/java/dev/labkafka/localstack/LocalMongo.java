package dev.labkafka.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A MongoDB-wire server on an H2 file, standing in for {@code mongod} where none can run.
 * It reports MongoDB 5.0 (wire version 13) so that mongosh 2.x connects to it. Data
 * survives a clean stop (SIGTERM, Ctrl-C); the last second of writes may not survive
 * SIGKILL.
 */
final class LocalMongo {

	private static final Logger logger = LoggerFactory.getLogger(LocalMongo.class);

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

	private final Path directory;

	private final int port;

	LocalMongo(Path directory, int port) {
		this.directory = directory;
		this.port = port;
	}

	void run() throws IOException, InterruptedException {
		Files.createDirectories(this.directory);
		H2Backend backend = new H2Backend(this.directory.resolve("mongo.mv").toString()) {

			/**
			 * Answers {@code hello} (MongoDB 4.4+; Spring Boot's health check and newer
			 * drivers send it) as {@code isMaster}, which is all this server knows.
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

		};
		backend.version(VERSION);
		MongoServer server = new MongoServer(backend);
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			logger.info("Stopping the MongoDB-wire server");
			server.shutdown();
			stopped.countDown();
		}, "mongo-shutdown"));
		server.bind("127.0.0.1", this.port);
		logger.info("MongoDB-wire server ready: mongodb://127.0.0.1:{}/nthu_distributed_system, data in {}", this.port,
				this.directory);
		stopped.await();
	}

}
