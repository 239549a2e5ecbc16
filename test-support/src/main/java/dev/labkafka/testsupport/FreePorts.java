package dev.labkafka.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/**
 * Ports for what tests start themselves, chosen by the OS so that tests run beside
 * anything else on the machine (a {@code make run} included).
 */
public final class FreePorts {

	private FreePorts() {
	}

	/** A loopback port nothing listens on now. */
	public static int next() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
