package dev.labkafka.api.web;

import java.util.Arrays;

import dev.labkafka.api.VideoApiSettings;
import org.apache.catalina.connector.Connector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.apache.coyote.ProtocolHandler;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.tomcat.TomcatProtocolHandlerCustomizer;
import org.springframework.boot.util.LambdaSafe;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A second port for browsers. Browsers refuse to open port 10080 (it is on their list of
 * unsafe ports), so the API also listens on {@code video.api.browser-port} (8080 by
 * default), with the same application behind both: the page, the JSON API, the events. It
 * gets the main port's connector settings ({@code server.tomcat.*}: timeouts, swallow
 * size, threads), which Spring Boot applies to the main connector only; it has a thread
 * pool of its own.
 */
@Configuration(proxyBeanMethods = false)
class BrowserPort {

	private static final Logger logger = LoggerFactory.getLogger(BrowserPort.class);

	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> browserConnector(VideoApiSettings settings,
			ServerProperties server) {
		return (factory) -> {
			int port = settings.browserPort();
			if (port < 0 || (server.getPort() != null && port == server.getPort() && port != 0)) {
				return;
			}
			Connector connector = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
			connector.setPort(port);
			factory.addAdditionalConnectors(connector);
			factory.addConnectorCustomizers(new SameSettings(factory, connector));
		};
	}

	/**
	 * Once the main connector is customized (every customizer is known by then), applies
	 * the same customizers to the browser's connector.
	 */
	private record SameSettings(TomcatServletWebServerFactory factory,
			Connector browser) implements TomcatConnectorCustomizer {

		@Override
		@SuppressWarnings("unchecked")
		public void customize(Connector main) {
			ProtocolHandler handler = this.browser.getProtocolHandler();
			LambdaSafe
				.callbacks(TomcatProtocolHandlerCustomizer.class, this.factory.getProtocolHandlerCustomizers(), handler)
				.invoke((customizer) -> customizer.customize(handler));
			for (TomcatConnectorCustomizer customizer : this.factory.getConnectorCustomizers()) {
				if (customizer != this) {
					customizer.customize(this.browser);
				}
			}
		}

	}

	/** Logs where the page is, once the port is bound (it may have been chosen free). */
	@Bean
	ApplicationListener<WebServerInitializedEvent> pageAddress() {
		return (event) -> {
			int port = port(event);
			if (port > 0) {
				logger.info("The web page: http://localhost:{}/", port);
			}
		};
	}

	/** The port browsers are served on, or -1 when there is none. */
	static int port(WebServerInitializedEvent event) {
		if (!(event.getWebServer() instanceof TomcatWebServer tomcat)) {
			return -1;
		}
		Connector main = tomcat.getTomcat().getConnector();
		return Arrays.stream(tomcat.getTomcat().getService().findConnectors())
			.filter((connector) -> connector != main)
			.mapToInt(Connector::getLocalPort)
			.findFirst()
			.orElse(-1);
	}

}
