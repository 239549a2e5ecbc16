package dev.labkafka.api.web;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.labkafka.api.VideoApiApplication;
import dev.labkafka.testsupport.EmbeddedInfrastructure;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Writes while the identity provider ({@code issuer-uri}) cannot be reached, over real
 * HTTP, with an identity provider made here (its OpenID discovery document and key set,
 * served by the JDK's HTTP server) that is started and stopped: the write gets a 503
 * problem with {@code Retry-After}, the log one warning line, and readiness goes down
 * until the keys can be fetched again.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = VideoApiApplication.CONFIG_NAME)
@EmbeddedInfrastructure
@ExtendWith(OutputCaptureExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IdentityProviderOutageIntegrationTests {

	static final JsonMapper json = JsonMapper.builder().build();

	static final int idpPort = freePort();

	static final String issuer = "http://localhost:" + idpPort + "/realms/videos";

	static final RSAKey key = rsaKey();

	static HttpServer idp;

	/** How many requests the identity provider answered. */
	static final AtomicInteger asked = new AtomicInteger();

	@LocalServerPort
	int port;

	final HttpClient http = HttpClient.newHttpClient();

	@DynamicPropertySource
	static void issuer(DynamicPropertyRegistry properties) {
		properties.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", () -> issuer);
	}

	@AfterAll
	static void stopTheIdentityProvider() {
		if (idp != null) {
			idp.stop(0);
		}
	}

	@Test
	@Order(2)
	void readinessAsksTheIdentityProviderAtMostOnceInAFewSecondsHoweverOftenItIsAsked() throws Exception {
		startTheIdentityProvider();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(status("/readyz")).isEqualTo(200));
		int before = asked.get();
		for (int i = 0; i < 20; i++) {
			assertThat(status("/readyz")).isEqualTo(200);
		}
		// One check reads the discovery document and the key set.
		assertThat(asked.get() - before).as("requests to the identity provider for 20 probes").isLessThanOrEqualTo(2);
	}

	@Test
	@Order(1)
	void aWriteWhileTheIdentityProviderCannotBeReachedGets503AndReadinessGoesDown(CapturedOutput output)
			throws Exception {
		// Nothing listens on the issuer's port: its discovery document cannot be read.
		assertUnavailable(delete(token(key)));
		assertThat(status("/readyz")).isEqualTo(503);
		assertThat(status("/v1/videos")).as("reads stay answered").isEqualTo(200);

		startTheIdentityProvider();
		assertThat(delete(token(key)).statusCode()).as("the token is checked: the video is unknown").isEqualTo(404);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(status("/readyz")).isEqualTo(200));

		// Gone again: the keys it had are kept, a key it never saw cannot be fetched.
		idp.stop(0);
		assertThat(delete(token(key)).statusCode()).isEqualTo(404);
		assertUnavailable(delete(token(rsaKey())));
		assertUnavailable(delete(token(rsaKey())));
		// An upload's address is a capability: its key is not logged.
		String key = "secretKeyOfTheUpload0123456789abcdefgh";
		assertUnavailable(
				this.http.send(HttpRequest.newBuilder(uri("/v1/uploads/" + new ObjectId().toHexString() + "-" + key))
					.method("PATCH", BodyPublishers.ofString("bytes"))
					.header("Tus-Resumable", "1.0.0")
					.header("Upload-Offset", "0")
					.header("Content-Type", "application/offset+octet-stream")
					.header("Authorization", "Bearer " + token(rsaKey()))
					.build(), BodyHandlers.ofString()));
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(status("/readyz")).isEqualTo(503));

		assertThat(output.getAll()).contains("Identity provider unavailable")
			.doesNotContain("\tat org.springframework.security", "\tat com.nimbusds", key);
	}

	private void assertUnavailable(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(response.headers().firstValue("Retry-After")).isPresent();
		JsonNode problem = json.readTree(response.body());
		assertThat(problem.get("status").asInt()).isEqualTo(503);
		assertThat(problem.get("title").asString()).isEqualTo("Identity provider unavailable");
		assertThat(response.body()).doesNotContain(issuer, "Exception");
	}

	private HttpResponse<String> delete(String token) throws Exception {
		return this.http.send(HttpRequest.newBuilder(uri("/v1/videos/" + new ObjectId().toHexString()))
			.DELETE()
			.header("Authorization", "Bearer " + token)
			.build(), BodyHandlers.ofString());
	}

	private int status(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(uri(path)).build(), BodyHandlers.ofString()).statusCode();
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	private static void startTheIdentityProvider() throws IOException {
		idp = HttpServer.create(new InetSocketAddress("localhost", idpPort), 0);
		idp.createContext("/realms/videos/.well-known/openid-configuration",
				(exchange) -> answer(exchange, "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer
						+ "/certs\",\"subject_types_supported\":[\"public\"]}"));
		idp.createContext("/realms/videos/certs",
				(exchange) -> answer(exchange, new JWKSet(key.toPublicJWK()).toString()));
		idp.start();
	}

	private static void answer(HttpExchange exchange, String body) throws IOException {
		asked.incrementAndGet();
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(200, bytes.length);
		exchange.getResponseBody().write(bytes);
		exchange.close();
	}

	private static String token(RSAKey signer) {
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer)
			.subject("uploader")
			.claim("scope", "videos:write")
			.issueTime(Date.from(Instant.now().minus(Duration.ofMinutes(1))))
			.expirationTime(Date.from(Instant.now().plus(Duration.ofMinutes(5))))
			.build();
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signer.getKeyID()).build(),
				claims);
		try {
			jwt.sign(new RSASSASigner(signer.toPrivateKey()));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
		return jwt.serialize();
	}

	private static RSAKey rsaKey() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			var keys = generator.generateKeyPair();
			return new RSAKey.Builder((RSAPublicKey) keys.getPublic()).privateKey((RSAPrivateKey) keys.getPrivate())
				.keyID(UUID.randomUUID().toString())
				.build();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
