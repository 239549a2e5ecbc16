package dev.labkafka.api.web;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.labkafka.api.VideoApiApplication;
import dev.labkafka.testsupport.EmbeddedInfrastructure;
import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that declare a body and never send it, or send it a byte a second, beside a
 * normal client: 250 of them at once on one port (more than Tomcat's 200 threads), and
 * the normal client's {@code GET}s are still answered within 10 s, on the main port and
 * on the browser port. Security is configured, so that writes without a token are refused
 * before their bodies are read.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { VideoApiApplication.CONFIG_NAME, "video.api.browser-port=0" })
@EmbeddedInfrastructure
class UnreadBodiesIntegrationTests {

	/** More connections than Tomcat has threads (200). */
	static final int ATTACKERS = 250;

	/**
	 * Generous, for a machine shared with other builds: before the change the reads
	 * waited for Tomcat's 60 s read timeout.
	 */
	static final Duration WITHIN = Duration.ofSeconds(10);

	@Autowired
	WebServerApplicationContext context;

	final List<Socket> attackers = new ArrayList<>();

	final ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();

	@DynamicPropertySource
	static void trustATestKey(DynamicPropertyRegistry properties) throws IOException, NoSuchAlgorithmException {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		Path pem = Files.createTempFile("video-api-test-key", ".pem");
		pem.toFile().deleteOnExit();
		Files.writeString(pem,
				"-----BEGIN PUBLIC KEY-----\n"
						+ Base64.getMimeEncoder().encodeToString(generator.generateKeyPair().getPublic().getEncoded())
						+ "\n-----END PUBLIC KEY-----\n");
		properties.add("spring.security.oauth2.resourceserver.jwt.public-key-location", () -> pem.toUri().toString());
	}

	@AfterEach
	void closeAttackers() throws IOException {
		this.trickle.shutdownNow();
		for (Socket socket : this.attackers) {
			socket.close();
		}
	}

	/** Requests whose bodies the API never reads. */
	enum Unread {

		/** A read of MongoDB that declares a body. */
		LIST("GET /v1/videos", ""),

		/** An upload without a token: refused (401) before its body is read. */
		UPLOAD_WITHOUT_TOKEN("POST /v1/videos", "Content-Type: multipart/form-data; boundary=x\r\n"),

		/** A delete without a token, with a form body (which no endpoint takes). */
		FORM_DELETE("DELETE /v1/videos/6650a1f2c3d4e5f6a7b8c9d0",
				"Content-Type: application/x-www-form-urlencoded\r\n"),

		/** A read that declares a body. */
		LIVENESS("GET /livez", "");

		final String requestLine;

		final String headers;

		Unread(String requestLine, String headers) {
			this.requestLine = requestLine;
			this.headers = headers;
		}

	}

	@ParameterizedTest
	@EnumSource(Unread.class)
	void readsStayFastBesideClientsThatDeclareABodyAndTrickleIt(Unread request) throws Exception {
		attack(mainPort(), request);

		assertAnswersPromptly(mainPort());
	}

	@ParameterizedTest
	@EnumSource(Unread.class)
	void theBrowserPortStaysFastToo(Unread request) throws Exception {
		attack(browserPort(), request);

		assertAnswersPromptly(browserPort());
	}

	@ParameterizedTest
	@EnumSource(Unread.class)
	void readsStayFastBesideClientsThatTrickleAChunkedBody(Unread request) throws Exception {
		attackChunked(mainPort(), request);

		assertAnswersPromptly(mainPort());
	}

	@ParameterizedTest
	@EnumSource(Unread.class)
	void theBrowserPortStaysFastBesideChunkedBodiesToo(Unread request) throws Exception {
		attackChunked(browserPort(), request);

		assertAnswersPromptly(browserPort());
	}

	@Test
	void theBrowserPortHasTheMainPortsConnectorSettings() {
		Connector main = tomcat().getConnector();
		Connector browser = browserConnector();
		for (String setting : List.of("maxSwallowSize", "connectionTimeout", "maxThreads", "maxPostSize")) {
			assertThat(browser.getProperty(setting)).as(setting).isEqualTo(main.getProperty(setting));
		}
		assertThat(browser.getProperty("maxExtensionSize")).isEqualTo(main.getProperty("maxExtensionSize"))
			.isEqualTo(0);
		assertThat(browser.getProperty("maxTrailerSize")).isEqualTo(main.getProperty("maxTrailerSize")).isEqualTo(2);
		assertThat(main.getProperty("maxSwallowSize")).isEqualTo(0);
		assertThat(main.getProperty("connectionTimeout")).isEqualTo(20_000);
	}

	/**
	 * {@link #ATTACKERS} connections that each send {@code request}'s headers with a
	 * {@code Content-Length} of 2,000,000: one in five then sends a byte a second, the
	 * others nothing.
	 */
	private void attack(int port, Unread request) throws IOException {
		byte[] head = (request.requestLine + " HTTP/1.1\r\nHost: localhost\r\n" + request.headers
				+ "Content-Length: 2000000\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII);
		List<Socket> trickling = new ArrayList<>();
		for (int i = 0; i < ATTACKERS; i++) {
			Socket socket = new Socket();
			socket.connect(new InetSocketAddress("127.0.0.1", port));
			socket.getOutputStream().write(head);
			socket.getOutputStream().flush();
			this.attackers.add(socket);
			if (i % 5 == 0) {
				trickling.add(socket);
			}
		}
		trickle(trickling);
	}

	/**
	 * {@link #ATTACKERS} connections that each send {@code request}'s headers with a
	 * chunked body, and a chunk's size and the start of an extension: each then sends one
	 * more byte of the extension a second (Tomcat reads an extension, and trailers, a
	 * byte at a time, each within its read timeout).
	 */
	private void attackChunked(int port, Unread request) throws IOException {
		byte[] head = (request.requestLine + " HTTP/1.1\r\nHost: localhost\r\n" + request.headers
				+ "Transfer-Encoding: chunked\r\n\r\n1;")
			.getBytes(StandardCharsets.US_ASCII);
		List<Socket> trickling = new ArrayList<>();
		for (int i = 0; i < ATTACKERS; i++) {
			Socket socket = new Socket();
			socket.connect(new InetSocketAddress("127.0.0.1", port));
			socket.getOutputStream().write(head);
			socket.getOutputStream().flush();
			this.attackers.add(socket);
			trickling.add(socket);
		}
		trickle(trickling);
	}

	private void trickle(List<Socket> trickling) {
		byte[] one = { 'a' };
		this.trickle.scheduleAtFixedRate(() -> {
			for (Socket socket : trickling) {
				try {
					socket.getOutputStream().write(one);
				}
				catch (IOException ex) {
					// Closed by the server: that is what it should do.
				}
			}
		}, 1, 1, TimeUnit.SECONDS);
	}

	/** A read of the list and the liveness probe, each answered within 10 s. */
	private static void assertAnswersPromptly(int port) throws Exception {
		HttpClient client = HttpClient.newBuilder().connectTimeout(WITHIN).build();
		for (String path : Arrays.asList("/v1/videos", "/livez")) {
			HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
				.timeout(WITHIN)
				.build();
			HttpResponse<String> answer = client.send(get, BodyHandlers.ofString());
			assertThat(answer.statusCode()).as(path).isEqualTo(200);
		}
	}

	private int mainPort() {
		return tomcat().getConnector().getLocalPort();
	}

	private int browserPort() {
		return browserConnector().getLocalPort();
	}

	private Connector browserConnector() {
		Connector main = tomcat().getConnector();
		return Arrays.stream(tomcat().getService().findConnectors())
			.filter((connector) -> connector != main)
			.findFirst()
			.orElseThrow();
	}

	private org.apache.catalina.startup.Tomcat tomcat() {
		return ((TomcatWebServer) this.context.getWebServer()).getTomcat();
	}

}
