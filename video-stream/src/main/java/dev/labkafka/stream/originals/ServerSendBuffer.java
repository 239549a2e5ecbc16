package dev.labkafka.stream.originals;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * A small socket send buffer on the worker's port. ffmpeg reads an original with
 * open-ended byte ranges ({@code bytes=N-}) and hangs up once it has what it needs;
 * whatever the server wrote into its socket's buffer by then was read from GridFS for
 * nothing. Linux lets that buffer grow to megabytes on the loopback, so each seek would
 * cost megabytes of reads; at 64 KiB it costs little more than that, and the loopback
 * still carries hundreds of megabytes a second. The port serves only these reads and the
 * actuator.
 */
@Component
class ServerSendBuffer implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

	/** The socket send buffer of the worker's connections, in bytes. */
	static final int BYTES = 64 * 1024;

	@Override
	public void customize(TomcatServletWebServerFactory factory) {
		factory
			.addConnectorCustomizers((connector) -> connector.setProperty("socket.txBufSize", String.valueOf(BYTES)));
	}

}
