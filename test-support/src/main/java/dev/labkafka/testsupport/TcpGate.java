package dev.labkafka.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A loopback port that stays closed until {@link #open(int) opened}, then forwards every
 * connection to another port. It lets a test start a client while its server is
 * unreachable, and make the server reachable later at the same address.
 */
public final class TcpGate implements AutoCloseable {

	private final int port;

	private volatile ServerSocket server;

	private TcpGate(int port) {
		this.port = port;
	}

	/** A closed gate on a free port. */
	public static TcpGate closed() {
		try (ServerSocket probe = new ServerSocket(0)) {
			return new TcpGate(probe.getLocalPort());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public int port() {
		return this.port;
	}

	/** From now on, connections to {@link #port()} reach {@code targetPort}. */
	public void open(int targetPort) throws IOException {
		ServerSocket server = new ServerSocket();
		server.setReuseAddress(true);
		server.bind(new InetSocketAddress("127.0.0.1", this.port));
		this.server = server;
		daemon(() -> {
			while (!server.isClosed()) {
				try {
					Socket client = server.accept();
					Socket target = new Socket("127.0.0.1", targetPort);
					daemon(() -> pipe(client, target));
					daemon(() -> pipe(target, client));
				}
				catch (IOException ex) {
					// Closed, or the target went away: the client sees its connection
					// drop.
				}
			}
		});
	}

	@Override
	public void close() throws IOException {
		if (this.server != null) {
			this.server.close();
		}
	}

	private static void pipe(Socket from, Socket to) {
		try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
			in.transferTo(out);
		}
		catch (IOException ex) {
			// One side closed.
		}
		finally {
			try {
				from.close();
				to.close();
			}
			catch (IOException ex) {
				// Already closed.
			}
		}
	}

	private static void daemon(Runnable task) {
		Thread thread = new Thread(task, "tcp-gate");
		thread.setDaemon(true);
		thread.start();
	}

}
