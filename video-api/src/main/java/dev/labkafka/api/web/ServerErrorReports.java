package dev.labkafka.api.web;

import java.util.Arrays;

import dev.labkafka.api.problems.ProblemTypes;
import org.apache.catalina.Container;
import org.apache.catalina.Host;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

/**
 * Puts {@link ProblemReportValve} in the place of Tomcat's HTML error report on the host
 * that serves every connector. It runs after Spring Boot's own customizer, which adds an
 * {@link ErrorReportValve} of its own: that one is taken out.
 */
@Component
class ServerErrorReports implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

	private final ProblemTypes types;

	private final JsonMapper json;

	ServerErrorReports(ProblemTypes types, JsonMapper json) {
		this.types = types;
		this.json = json;
	}

	@Override
	public void customize(TomcatServletWebServerFactory factory) {
		factory.addContextCustomizers((context) -> {
			Container parent = context.getParent();
			if (!(parent instanceof Host host)) {
				return;
			}
			Arrays.stream(host.getPipeline().getValves())
				.filter(ErrorReportValve.class::isInstance)
				.forEach((Valve valve) -> host.getPipeline().removeValve(valve));
			ProblemReportValve valve = new ProblemReportValve(this.types, this.json);
			host.getPipeline().addValve(valve);
			if (host instanceof StandardHost standard) {
				// Tomcat adds its own report at start unless one of this class is there.
				standard.setErrorReportValveClass(valve.getClass().getName());
			}
		});
	}

	/** After Spring Boot's Tomcat customizer (order 0), which adds its report valve. */
	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
