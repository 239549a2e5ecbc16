package dev.labkafka.api.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

import com.mongodb.client.MongoDatabase;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.labkafka.api.VideoApiApplication;
import dev.labkafka.testsupport.EmbeddedInfrastructure;
import dev.labkafka.testsupport.MultipartBody;
import dev.labkafka.testsupport.SampleVideos;
import dev.labkafka.testsupport.StoredVideos;
import dev.labkafka.videos.VideoFields;
import dev.labkafka.videos.VideoStatus;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writes with security configured, over real HTTP: the API trusts a public key made here
 * ({@code spring.security.oauth2.resourceserver.jwt.public-key-location}), and the tests
 * sign their tokens with its private key. No identity provider is needed.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = VideoApiApplication.CONFIG_NAME)
@EmbeddedInfrastructure
class WriteSecurityIntegrationTests {

	static final JsonMapper json = JsonMapper.builder().build();

	static final KeyPair trusted = rsaKeys();

	static final KeyPair other = rsaKeys();

	@LocalServerPort
	int port;

	@Autowired
	MongoDatabaseFactory databases;

	final HttpClient http = HttpClient.newHttpClient();

	@DynamicPropertySource
	static void trustTheTestKey(DynamicPropertyRegistry properties) throws IOException {
		Path pem = Files.createTempFile("video-api-test-key", ".pem");
		pem.toFile().deleteOnExit();
		Files.writeString(pem,
				"-----BEGIN PUBLIC KEY-----\n"
						+ Base64.getMimeEncoder().encodeToString(trusted.getPublic().getEncoded())
						+ "\n-----END PUBLIC KEY-----\n");
		properties.add("spring.security.oauth2.resourceserver.jwt.public-key-location", () -> pem.toUri().toString());
	}

	@Test
	void everyWriteWithoutATokenGets401AsAProblemAndStoresNothing() throws Exception {
		String id = failedVideo();
		long videos = database().getCollection("videos").countDocuments();
		long uploads = database().getCollection("uploads").countDocuments();

		for (HttpRequest.Builder write : writes(id)) {
			HttpResponse<String> response = send(write);

			assertProblem(response, 401, "Token needed");
			assertThat(response.headers().firstValue("WWW-Authenticate"))
				.hasValueSatisfying((challenge) -> assertThat(challenge).startsWith("Bearer"));
		}
		assertThat(database().getCollection("videos").countDocuments()).isEqualTo(videos);
		assertThat(database().getCollection("uploads").countDocuments()).isEqualTo(uploads);
		assertThat(status(get("/v1/videos/" + id))).as("not deleted").isEqualTo(200);
	}

	@Test
	void anExpiredForgedMalformedOrEverlastingTokenGets401() throws Exception {
		String[] refused = { token(trusted, "videos:write", Instant.now().minus(Duration.ofMinutes(5))),
				token(other, "videos:write", Instant.now().plus(Duration.ofMinutes(5))),
				token(trusted, "videos:write", null), "not-a-jwt" };
		for (String token : refused) {
			HttpResponse<String> response = send(upload().header("Authorization", "Bearer " + token));

			assertProblem(response, 401, "Token needed");
			assertThat(response.headers().firstValue("WWW-Authenticate"))
				.hasValueSatisfying((challenge) -> assertThat(challenge).contains("invalid_token"));
		}
	}

	@Test
	void aTokenWithoutTheWriteScopeGets403() throws Exception {
		String readOnly = token(trusted, "videos:read profile", Instant.now().plus(Duration.ofMinutes(5)));
		String id = failedVideo();

		for (HttpRequest.Builder write : writes(id)) {
			HttpResponse<String> response = send(write.header("Authorization", "Bearer " + readOnly));

			assertProblem(response, 403, "Scope missing");
			assertThat(response.headers().firstValue("WWW-Authenticate"))
				.hasValueSatisfying((challenge) -> assertThat(challenge).contains("insufficient_scope"));
		}
	}

	@Test
	void aTokenWithTheWriteScopeMayUploadRetryAndDelete() throws Exception {
		String bearer = "Bearer " + token(trusted, "openid videos:write", Instant.now().plus(Duration.ofMinutes(5)));

		HttpResponse<String> uploaded = send(upload().header("Authorization", bearer));
		assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
		String id = json.readTree(uploaded.body()).get("id").asString();
		HttpResponse<String> resumable = send(tusCreation().header("Authorization", bearer));
		assertThat(resumable.statusCode()).as(resumable.body()).isEqualTo(201);
		String failed = failedVideo();
		assertThat(status(send(HttpRequest.newBuilder(uri("/v1/videos/" + failed + "/retry"))
			.POST(BodyPublishers.noBody())
			.header("Authorization", bearer)))).isEqualTo(202);
		assertThat(
				status(send(HttpRequest.newBuilder(uri("/v1/videos/" + id)).DELETE().header("Authorization", bearer))))
			.isEqualTo(200);
	}

	@Test
	void aResumableUploadIsItsCreatorsOnlyAnotherSubjectFindsNothingThere() throws Exception {
		Instant in5Minutes = Instant.now().plus(Duration.ofMinutes(5));
		String victim = "Bearer " + token(trusted, "victim", "videos:write", in5Minutes);
		String attacker = "Bearer " + token(trusted, "attacker", "videos:write", in5Minutes);
		HttpResponse<String> created = send(tusCreation().header("Authorization", victim));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		String upload = created.headers().firstValue("Location").orElseThrow();

		HttpRequest.Builder[] others = { HttpRequest.newBuilder(uri(upload)).method("HEAD", BodyPublishers.noBody()),
				HttpRequest.newBuilder(uri(upload))
					.header("Upload-Offset", "0")
					.header("Content-Type", "application/offset+octet-stream")
					.method("PATCH", BodyPublishers.ofByteArray(SampleVideos.mp4())),
				HttpRequest.newBuilder(uri(upload)).DELETE() };
		for (HttpRequest.Builder other : others) {
			HttpResponse<String> response = send(
					other.header("Tus-Resumable", "1.0.0").header("Authorization", attacker));
			assertThat(response.statusCode()).as("%s by another subject", response.request().method()).isEqualTo(404);
		}
		HttpResponse<String> own = send(HttpRequest.newBuilder(uri(upload))
			.header("Tus-Resumable", "1.0.0")
			.header("Authorization", victim)
			.method("HEAD", BodyPublishers.noBody()));
		assertThat(own.statusCode()).isEqualTo(200);
		assertThat(own.headers().firstValue("Upload-Offset")).as("nothing written by the other").hasValue("0");
	}

	@Test
	void readsEventsThePageAndHealthStayPublic() throws Exception {
		String id = failedVideo();
		assertThat(status(get("/v1/videos"))).isEqualTo(200);
		assertThat(status(
				send(HttpRequest.newBuilder(uri("/v1/videos")).header("Authorization", "Bearer expired.or.forged"))))
			.as("a read with a bad token is still a read")
			.isEqualTo(200);
		assertThat(status(get("/v1/videos/" + id))).isEqualTo(200);
		assertThat(status(send(HttpRequest.newBuilder(uri("/v1/videos/events"))
			.method("HEAD", BodyPublishers.noBody())
			.header("Accept", "text/event-stream")))).isEqualTo(200);
		assertThat(status(get("/"))).isEqualTo(200);
		assertThat(status(get("/index.html"))).isEqualTo(200);
		assertThat(status(get("/actuator/health"))).isEqualTo(200);
		assertThat(status(get("/v3/api-docs"))).isEqualTo(200);
		assertThat(status(send(HttpRequest.newBuilder(uri("/v1/uploads")).method("OPTIONS", BodyPublishers.noBody()))))
			.as("tus discovery")
			.isEqualTo(204);
	}

	private String failedVideo() {
		StoredVideos videos = new StoredVideos(database());
		String id = videos.insertUploaded();
		videos.set(id, new Document(VideoFields.STATUS, VideoStatus.FAILED.word()).append(VideoFields.ERROR,
				"encoding failed"));
		return id;
	}

	private HttpRequest.Builder[] writes(String id) {
		return new HttpRequest.Builder[] { upload(), tusCreation(),
				HttpRequest.newBuilder(uri("/v1/uploads/" + id))
					.header("Tus-Resumable", "1.0.0")
					.method("HEAD", BodyPublishers.noBody()),
				HttpRequest.newBuilder(uri("/v1/uploads/" + id))
					.header("Tus-Resumable", "1.0.0")
					.header("Upload-Offset", "0")
					.header("Content-Type", "application/offset+octet-stream")
					.method("PATCH", BodyPublishers.ofByteArray(SampleVideos.mp4())),
				HttpRequest.newBuilder(uri("/v1/uploads/" + id))
					.header("Tus-Resumable", "1.0.0")
					.header("Upload-Offset", "0")
					.header("Content-Type", "application/offset+octet-stream")
					.header("X-HTTP-Method-Override", "PATCH")
					.POST(BodyPublishers.ofByteArray(SampleVideos.mp4())),
				HttpRequest.newBuilder(uri("/v1/uploads/" + id)).header("Tus-Resumable", "1.0.0").DELETE(),
				HttpRequest.newBuilder(uri("/v1/videos/" + id)).DELETE(),
				HttpRequest.newBuilder(uri("/v1/videos/" + id + "/retry")).POST(BodyPublishers.noBody()) };
	}

	private HttpRequest.Builder upload() {
		return HttpRequest.newBuilder(uri("/v1/videos"))
			.header("Content-Type", MultipartBody.CONTENT_TYPE)
			.POST(BodyPublishers.ofByteArray(MultipartBody.file("clip.mp4", SampleVideos.mp4())));
	}

	private HttpRequest.Builder tusCreation() {
		return HttpRequest.newBuilder(uri("/v1/uploads"))
			.header("Tus-Resumable", "1.0.0")
			.header("Upload-Length", "1000")
			.POST(BodyPublishers.noBody());
	}

	private HttpResponse<String> get(String path) throws Exception {
		return send(HttpRequest.newBuilder(uri(path)));
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.http.send(request.build(), BodyHandlers.ofString());
	}

	private static int status(HttpResponse<String> response) {
		return response.statusCode();
	}

	private static void assertProblem(HttpResponse<String> response, int status, String title) {
		assertThat(response.statusCode()).as(response.request() + " " + response.body()).isEqualTo(status);
		if (response.request().method().equals("HEAD")) {
			return;
		}
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode problem = json.readTree(response.body());
		assertThat(problem.get("status").asInt()).isEqualTo(status);
		assertThat(problem.get("title").asString()).isEqualTo(title);
		assertThat(problem.get("detail").asString()).contains("videos:write");
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	private MongoDatabase database() {
		return this.databases.getMongoDatabase();
	}

	private static String token(KeyPair keys, String scope, Instant expiresAt) {
		return token(keys, "uploader", scope, expiresAt);
	}

	private static String token(KeyPair keys, String subject, String scope, Instant expiresAt) {
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(subject)
			.claim("scope", scope)
			.issueTime(Date.from(Instant.now().minus(Duration.ofMinutes(10))));
		if (expiresAt != null) {
			claims.expirationTime(Date.from(expiresAt));
		}
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims.build());
		try {
			jwt.sign(new RSASSASigner(keys.getPrivate()));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
		return jwt.serialize();
	}

	private static KeyPair rsaKeys() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			return generator.generateKeyPair();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new UncheckedIOException(new IOException(ex));
		}
	}

}
