package dev.labkafka.api.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A request body the application did not read to its end (a {@code GET} that declares
 * one, a write refused before its body is read, an upload cut off) is not read after the
 * answer: the connection is closed once the answer is sent. Tomcat would otherwise read
 * ("swallow") what is left on the request's thread to keep the connection, however slowly
 * it comes, and a few hundred clients that declare a large body and send a byte every few
 * seconds would hold every thread. It is Tomcat's own way of ending an aborted upload
 * ({@link ActionCode#DISABLE_SWALLOW_INPUT}), on both ports (an engine valve).
 * <p>
 * Only a body of a declared length is judged so: a chunked one may have been read whole
 * but for its last, empty chunk (a tus {@code PATCH} stops at the upload's length), and
 * closing its connection broke clients that reuse it. A chunked body is left to
 * {@code server.tomcat.max-swallow-size} (0: one read at most, within
 * {@code server.tomcat.connection-timeout}), and so is an asynchronous request (an event
 * stream), which ends after this valve has run.
 */
@Configuration(proxyBeanMethods = false)
class UnreadBodies {

	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> unreadBodiesAreNotSwallowed() {
		return (factory) -> {
			factory.addEngineValves(new ClosingValve());
			factory.addConnectorCustomizers(UnreadBodies::noChunkExtensionsOrTrailers);
		};
	}

	/**
	 * A chunked body may carry no chunk extensions and no trailers (2 bytes: the line
	 * break that ends the body): Tomcat reads them a byte at a time, each within the read
	 * timeout, and one read of the body that a client keeps in an extension byte by byte
	 * would never return (neither the minimum rate of uploads nor
	 * {@code max-swallow-size} would ever see it). No client sends them.
	 */
	static void noChunkExtensionsOrTrailers(Connector connector) {
		connector.setProperty("maxExtensionSize", "0");
		connector.setProperty("maxTrailerSize", "2");
	}

	@Bean
	ReadsHaveNoBody readsHaveNoBody() {
		return new ReadsHaveNoBody();
	}

	/**
	 * A {@code GET} or {@code HEAD} is seen with no body, whatever it declares (a body
	 * has no meaning there): the actuator's endpoints, {@code /livez} and {@code /readyz}
	 * among them, otherwise wait for the first byte of one to know whether there is one.
	 */
	static final class ReadsHaveNoBody extends OncePerRequestFilter implements Ordered {

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			boolean read = HttpMethod.GET.matches(request.getMethod()) || HttpMethod.HEAD.matches(request.getMethod());
			chain.doFilter(read ? new WithoutBody(request) : request, response);
		}

		@Override
		public int getOrder() {
			return Ordered.HIGHEST_PRECEDENCE;
		}

	}

	/** A request whose body is empty. */
	private static final class WithoutBody extends HttpServletRequestWrapper {

		WithoutBody(HttpServletRequest request) {
			super(request);
		}

		@Override
		public int getContentLength() {
			return 0;
		}

		@Override
		public long getContentLengthLong() {
			return 0;
		}

		@Override
		public ServletInputStream getInputStream() {
			return new ServletInputStream() {

				@Override
				public int read() {
					return -1;
				}

				@Override
				public boolean isFinished() {
					return true;
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setReadListener(ReadListener listener) {
					try {
						listener.onAllDataRead();
					}
					catch (IOException ex) {
						listener.onError(ex);
					}
				}

			};
		}

		@Override
		public BufferedReader getReader() {
			return new BufferedReader(Reader.nullReader());
		}

	}

	/** Closes the connection of a request whose body was not read to its end. */
	static final class ClosingValve extends ValveBase {

		ClosingValve() {
			super(true);
		}

		@Override
		public void invoke(Request request, Response response) throws IOException, ServletException {
			getNext().invoke(request, response);
			if (!request.isAsync()) {
				closeIfUnread(request.getCoyoteRequest());
			}
		}

		static void closeIfUnread(org.apache.coyote.Request request) {
			long declared = request.getContentLengthLong();
			if (declared > 0 && request.getBytesRead() < declared) {
				request.action(ActionCode.DISABLE_SWALLOW_INPUT, null);
			}
			else if (declared < 0 && request.getMimeHeaders().getValue(HttpHeaders.TRANSFER_ENCODING) != null) {
				AtomicBoolean finished = new AtomicBoolean();
				request.action(ActionCode.REQUEST_BODY_FULLY_READ, finished);
				if (!finished.get()) {
					request.action(ActionCode.DISABLE_SWALLOW_INPUT, null);
				}
			}
		}

	}

}
