package dev.labkafka.api.web;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.ServletException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A request body the application did not read to its end (a {@code GET} that declares
 * one, a write refused before its body is read, an upload cut off) is not read after the
 * answer: the connection is closed once the answer is sent. Tomcat would otherwise read
 * ("swallow") what is left on the request's thread to keep the connection, however slowly
 * it comes, and a few hundred clients that declare a large body and send a byte every few
 * seconds would hold every thread. It is Tomcat's own way of ending an aborted upload
 * ({@link ActionCode#DISABLE_SWALLOW_INPUT}), on both ports (an engine valve).
 * <p>
 * An asynchronous request (an event stream) is left to {@code server.tomcat.max-swallow-size}
 * (0: one read at most, within {@code server.tomcat.connection-timeout}).
 */
@Configuration(proxyBeanMethods = false)
class UnreadBodies {

	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> unreadBodiesAreNotSwallowed() {
		return (factory) -> factory.addEngineValves(new ClosingValve());
	}

	/** Closes the connection of a request whose body was not read to its end. */
	static final class ClosingValve extends ValveBase {

		ClosingValve() {
			super(true);
		}

		@Override
		public void invoke(Request request, Response response) throws IOException, ServletException {
			getNext().invoke(request, response);
			if (request.isAsync()) {
				return;
			}
			AtomicBoolean read = new AtomicBoolean(true);
			request.getCoyoteRequest().action(ActionCode.REQUEST_BODY_FULLY_READ, read);
			if (!read.get()) {
				request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
			}
		}

	}

}
