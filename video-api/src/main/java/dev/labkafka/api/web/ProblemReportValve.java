package dev.labkafka.api.web;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.labkafka.api.problems.ApiProblem;
import dev.labkafka.api.problems.ProblemTypes;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Tomcat's own error answers as problems: a request Tomcat refuses before the application
 * sees it (a URL with an encoded {@code /}, {@code \} or NUL, a request line or headers
 * over their limit) gets {@code application/problem+json}, not Tomcat's HTML page. It
 * takes the place of Tomcat's {@link ErrorReportValve} on the host, so it answers for
 * every connector (the main port and the browser port alike). Errors the application
 * answers are left to it (Spring MVC, and Boot's {@code /error} page).
 */
class ProblemReportValve extends ErrorReportValve {

	private final ProblemTypes types;

	private final JsonMapper json;

	ProblemReportValve(ProblemTypes types, JsonMapper json) {
		this.types = types;
		this.json = json;
	}

	@Override
	protected void report(Request request, Response response, @Nullable Throwable throwable) {
		int status = response.getStatus();
		if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		AtomicBoolean ioAllowed = new AtomicBoolean(true);
		response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
		if (!ioAllowed.get()) {
			return;
		}
		try {
			PrintWriter writer = response.getReporter();
			if (writer == null) {
				return;
			}
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			writer.write(this.json.writeValueAsString(problem(request, status, throwable)));
			response.finishResponse();
		}
		catch (IOException | RuntimeException ex) {
			// The client is gone, or the answer cannot be written: nothing more to say.
		}
	}

	private Map<String, Object> problem(Request request, int status, @Nullable Throwable throwable) {
		ApiProblem known = (status == HttpStatus.BAD_REQUEST.value())
				? (headersTooLarge(throwable) ? ApiProblem.HEADERS_TOO_LARGE : ApiProblem.REQUEST_REJECTED) : null;
		Map<String, Object> problem = new LinkedHashMap<>();
		if (known != null) {
			problem.put("type", String.valueOf(this.types.absolute(known.type())));
			problem.put("title", known.title());
			problem.put("status", status);
			problem.put("detail",
					(known == ApiProblem.HEADERS_TOO_LARGE) ? known.detail(maxHeaderSize(request)) : known.detail());
			return problem;
		}
		HttpStatus resolved = HttpStatus.resolve(status);
		problem.put("type", "about:blank");
		problem.put("title", (resolved != null) ? resolved.getReasonPhrase() : "Error");
		problem.put("status", status);
		// 501 and 505 are the server's answers to what a client asked (a transfer coding,
		// an
		// HTTP version): refused, not failed.
		problem.put("detail", (status == 500) ? ApiProblem.UNEXPECTED.detail()
				: "The server refused the request before the API read it.");
		return problem;
	}

	private static boolean headersTooLarge(@Nullable Throwable throwable) {
		for (Throwable cause = throwable; cause != null; cause = cause.getCause()) {
			String message = cause.getMessage();
			if (message != null && message.toLowerCase(Locale.ROOT).contains("header")
					&& message.toLowerCase(Locale.ROOT).contains("too large")) {
				return true;
			}
		}
		return false;
	}

	private static int maxHeaderSize(Request request) {
		return (request.getConnector().getProtocolHandler() instanceof AbstractHttp11Protocol<?> http)
				? http.getMaxHttpRequestHeaderSize() : 8192;
	}

}
