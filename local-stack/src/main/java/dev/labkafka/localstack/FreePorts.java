package dev.labkafka.localstack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for what tests start themselves, free when asked for, so that tests run beside
 * anything else on the machine (a {@code make run} included).
 * <p>
 * They are taken below the range the OS hands out for outgoing connections (32768 and up
 * on Linux), not from the OS's own choice of a free port (which is in that range): a test
 * that closes a listening port and opens it again (a gate cut and reopened) would
 * otherwise find it taken, now and then, by some process's outgoing connection.
 */
public final class FreePorts {

	private static final int FIRST = 20000;

	private static final int LAST = 32000;

	private FreePorts() {
	}

	/** A loopback port nothing listens on now. */
	public static int next() {
		for (int attempt = 0; attempt < 1000; attempt++) {
			int port = ThreadLocalRandom.current().nextInt(FIRST, LAST);
			try (ServerSocket socket = new ServerSocket()) {
				socket.bind(new InetSocketAddress("127.0.0.1", port));
				return port;
			}
			catch (IOException ex) {
				// Taken: try another.
			}
		}
		throw new IllegalStateException("No free port between " + FIRST + " and " + LAST);
	}

}
