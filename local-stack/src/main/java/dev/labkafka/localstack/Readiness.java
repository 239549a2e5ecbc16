package dev.labkafka.localstack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs one line when a server this process starts begins to accept connections, so that a
 * person (or a script) watching the log knows when to go on.
 */
final class Readiness {

	private static final Logger logger = LoggerFactory.getLogger(Readiness.class);

	private Readiness() {
	}

	static void announceWhenListening(String what, int port, String details) {
		Thread watcher = new Thread(() -> {
			long start = System.nanoTime();
			while (!Thread.currentThread().isInterrupted()) {
				try (Socket socket = new Socket()) {
					socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
					logger.info("{} ready in {} ms: {}", what, (System.nanoTime() - start) / 1_000_000, details);
					return;
				}
				catch (IOException ex) {
					try {
						Thread.sleep(100);
					}
					catch (InterruptedException interrupted) {
						return;
					}
				}
			}
		}, "readiness");
		watcher.setDaemon(true);
		watcher.start();
	}

}
