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

	/** How long the store keeps the space of data no longer live before reusing it. */
	static final java.time.Duration RETENTION = java.time.Duration.ofSeconds(1);

	private final Path directory;

	private final int port;

	LocalMongo(Path directory, int port) {
		this.directory = directory;
		this.port = port;
	}

	/**
	 * The store on an H2 file in {@code directory}. Space that removed videos held is
	 * written over after {@link #RETENTION}, not H2's default 45 s: under uploads of a
	 * few hundred MB a second the file took gigabytes more on disk than the data it held
	 * (docs/media.md). Writes that a power cut finds in the disk's cache within this time
	 * may be lost; a process killed loses nothing more (the system still writes its
	 * cache).
	 */
	static H2Backend store(Path directory) {
		H2Backend store = new H2Backend(directory.resolve("mongo.mv").toString());
		store.getMvStore().setRetentionTime(Math.toIntExact(RETENTION.toMillis()));
		return store;
	}

	void run() throws IOException, InterruptedException {
		Files.createDirectories(this.directory);
		H2Backend store = store(this.directory);
		MongoWire server = MongoWire.over(store, "127.0.0.1", this.port);
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
