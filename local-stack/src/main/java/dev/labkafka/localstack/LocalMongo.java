package dev.labkafka.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import de.bwaldvogel.mongo.backend.h2.H2Backend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code make run}'s MongoDB-wire server ({@link MongoWire}) on an H2 file. Data survives
 * a clean stop (SIGTERM, Ctrl-C); the last second of writes may not survive SIGKILL.
 */
final class LocalMongo {

	private static final Logger logger = LoggerFactory.getLogger(LocalMongo.class);

	private final Path directory;

	private final int port;

	LocalMongo(Path directory, int port) {
		this.directory = directory;
		this.port = port;
	}

	void run() throws IOException, InterruptedException {
		Files.createDirectories(this.directory);
		MongoWire server = MongoWire.over(new H2Backend(this.directory.resolve("mongo.mv").toString()), "127.0.0.1",
				this.port);
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			logger.info("Stopping the MongoDB-wire server");
			server.close();
			stopped.countDown();
		}, "mongo-shutdown"));
		logger.info("MongoDB-wire server ready: {}, data in {}", server.uri(), this.directory);
		stopped.await();
	}

}
