package dev.labkafka.api.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import dev.labkafka.api.VideoApiApplication;
import dev.labkafka.testsupport.EmbeddedInfrastructure;
import org.apache.catalina.connector.Connector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Requests refused before Spring sees them (by Tomcat: a URL with an encoded slash,
 * backslash or NUL, headers over their limit) or by the servlet container's own rules
 * (TRACE), sent as raw bytes, since HTTP clients normalise such URLs: each is answered
 * with a problem ({@code application/problem+json}), never an HTML page, on both ports.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { VideoApiApplication.CONFIG_NAME, "video.api.browser-port=0" })
@EmbeddedInfrastructure
class ServerErrorsIntegrationTests {

	static final JsonMapper json = JsonMapper.builder().build();

	@Autowired
	ServletWebServerApplicationContext context;

	static final String REJECTED = "Request rejected";

	static Stream<Arguments> refusedByTheServer() {
		String big = "X-Padding: " + "a".repeat(9 * 1024) + "\r\n";
		return Stream.of(true, false)
			.flatMap((browserPort) -> Stream.of(
					arguments(browserPort, "an encoded slash", "GET /v1/videos/a%2Fb HTTP/1.1\r\n", "", 400, REJECTED),
					arguments(browserPort, "an encoded backslash", "GET /v1/videos/a%5Cb HTTP/1.1\r\n", "", 400,
							REJECTED),
					arguments(browserPort, "an encoded NUL", "GET /v1/videos/a%00b HTTP/1.1\r\n", "", 400, REJECTED),
					arguments(browserPort, "headers over 8 KB", "GET /v1/videos HTTP/1.1\r\n", big, 400,
							"Request headers too large"),
					arguments(browserPort, "TRACE", "TRACE /v1/videos HTTP/1.1\r\n", "", 405, "Method Not Allowed"),
					arguments(browserPort, "an unknown transfer coding", "POST /v1/videos HTTP/1.1\r\n",
							"Transfer-Encoding: rot13\r\n", 501, "Not Implemented")));
	}

	@ParameterizedTest(name = "{1} on the browser port: {0} -> {4}")
	@MethodSource("refusedByTheServer")
	void answersAProblem(boolean browserPort, String what, String requestLine, String headers, int status, String title)
			throws IOException {
		RawResponse response = send((browserPort) ? browserPort() : mainPort(), requestLine, headers);

		assertThat(response.status()).as(response.toString()).isEqualTo(status);
		assertThat(response.headers()).as(response.toString())
			.containsEntry("content-type", "application/problem+json");
		JsonNode problem = json.readTree(response.body());
		assertThat(problem.get("status").asInt()).isEqualTo(status);
		assertThat(problem.get("title").asString()).isEqualTo(title);
		String method = requestLine.substring(0, requestLine.indexOf(' '));
		assertThat(problem.get("detail").asString()).isNotBlank()
			.as("names no method but the request's")
			.doesNotContain(method.equals("GET") ? "'TRACE'" : "'GET'");
		assertThat(problem.get("detail").asString()).as("what the client asked is refused, not failed")
			.doesNotContain("has been logged");
		assertThat(problem.has("trace") || problem.has("exception")).as("no internals").isFalse();
		assertThat(response.body()).doesNotContainIgnoringCase("<html").doesNotContain("Tomcat", "Exception");
	}

	private RawResponse send(int port, String requestLine, String headers) throws IOException {
		try (Socket socket = new Socket("localhost", port)) {
			socket.setSoTimeout(10_000);
			String request = requestLine + "Host: localhost\r\n" + headers + "Connection: close\r\n\r\n";
			socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
			socket.getOutputStream().flush();
			return RawResponse.read(socket.getInputStream());
		}
	}

	private TomcatWebServer tomcat() {
		return (TomcatWebServer) this.context.getWebServer();
	}

	private int mainPort() {
		return tomcat().getTomcat().getConnector().getLocalPort();
	}

	private int browserPort() {
		Connector main = tomcat().getTomcat().getConnector();
		return Stream.of(tomcat().getTomcat().getService().findConnectors())
			.filter((connector) -> connector != main)
			.mapToInt(Connector::getLocalPort)
			.findFirst()
			.orElseThrow();
	}

	record RawResponse(int status, Map<String, String> headers, String body) {

		static RawResponse read(InputStream in) throws IOException {
			ByteArrayOutputStream all = new ByteArrayOutputStream();
			in.transferTo(all);
			String text = all.toString(StandardCharsets.UTF_8);
			int end = text.indexOf("\r\n\r\n");
			String[] lines = text.substring(0, (end < 0) ? text.length() : end).split("\r\n");
			Map<String, String> headers = new LinkedHashMap<>();
			IntStream.range(1, lines.length)
				.mapToObj((i) -> lines[i].split(":", 2))
				.filter((pair) -> pair.length == 2)
				.forEach((pair) -> headers.put(pair[0].trim().toLowerCase(Locale.ROOT), pair[1].trim()));
			String body = (end < 0) ? "" : text.substring(end + 4);
			if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
				body = unchunk(body);
			}
			return new RawResponse(Integer.parseInt(lines[0].split(" ")[1]), headers, body);
		}

		private static String unchunk(String chunked) {
			StringBuilder body = new StringBuilder();
			int at = 0;
			while (at < chunked.length()) {
				int lineEnd = chunked.indexOf("\r\n", at);
				int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
				if (size == 0) {
					break;
				}
				body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
				at = lineEnd + 2 + size + 2;
			}
			return body.toString();
		}

	}

}
