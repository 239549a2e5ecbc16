package dev.labkafka.testsupport;

import dev.labkafka.localstack.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.awaitility.Awaitility.await;

/**
 * A loopback port that forwards every connection to another port while it is open, and
 * refuses them while it is closed. It lets a test start a client while its server is
 * unreachable and make the server reachable later at the same address, or take a server
 * away from its clients in the middle of their work ({@link #cut()}), as a crash or a
 * network failure would.
 */
public final class TcpGate implements AutoCloseable {

	private final int port;

	private final Set<Socket> connections = ConcurrentHashMap.newKeySet();

	private volatile ServerSocket server;

	private TcpGate(int port) {
		this.port = port;
	}

	/** A closed gate on a free port. */
	public static TcpGate closed() {
		return new TcpGate(FreePorts.next());
	}

	/** A gate on a free port, open onto {@code targetPort}. */
	public static TcpGate openOnto(int targetPort) {
		TcpGate gate = closed();
		try {
			gate.open(targetPort);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return gate;
	}

	public int port() {
		return this.port;
	}

	/** From now on, connections to {@link #port()} reach {@code targetPort}. */
	public void open(int targetPort) throws IOException {
		ServerSocket server = bind();
		this.server = server;
		daemon(() -> {
			while (!server.isClosed()) {
				try {
					Socket client = server.accept();
					Socket target = new Socket("127.0.0.1", targetPort);
					this.connections.add(client);
					this.connections.add(target);
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

	/**
	 * Listens on the gate's port again. Right after a cut the port can still be held for
	 * a moment by the connections the cut dropped, so binding is tried for a few seconds.
	 */
	private ServerSocket bind() {
		return await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(100))
			.ignoreException(BindException.class)
			.until(this::tryBind, (server) -> true);
	}

	private ServerSocket tryBind() throws IOException {
		ServerSocket server = new ServerSocket();
		server.setReuseAddress(true);
		try {
			server.bind(new InetSocketAddress("127.0.0.1", this.port));
			return server;
		}
		catch (IOException ex) {
			server.close();
			throw ex;
		}
	}

	/**
	 * Closes the gate and drops every connection through it: the clients see their server
	 * vanish and cannot connect again until the gate is {@link #open(int) opened}.
	 */
	public void cut() throws IOException {
		close();
		for (Socket connection : this.connections) {
			connection.close();
		}
		this.connections.clear();
	}

	/** Refuses new connections; the ones through the gate go on. */
	@Override
	public void close() throws IOException {
		if (this.server != null) {
			this.server.close();
		}
	}

	private void pipe(Socket from, Socket to) {
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
			this.connections.remove(from);
			this.connections.remove(to);
		}
	}

	private static void daemon(Runnable task) {
		Thread thread = new Thread(task, "tcp-gate");
		thread.setDaemon(true);
		thread.start();
	}

}
