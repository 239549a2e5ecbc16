package dev.labkafka.api.tus;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.labkafka.api.VideoApiApplication;
import dev.labkafka.localstack.MongoWire;
import dev.labkafka.testsupport.MongoWireServer;
import dev.labkafka.testsupport.TestBrokers;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Abandoned resumable uploads stay bounded: one instance on a database of its own (the
 * open uploads of all are counted), with small limits, and a sweep that clears thousands
 * of expired uploads in one pass and lets a shutdown go at once.
 */
@TestInstance(Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UploadLimitsIntegrationTests {

	EmbeddedKafkaKraftBroker kafka;

	ConfigurableApplicationContext api;

	MongoClient mongo;

	MongoCollection<Document> uploads;

	final HttpClient http = HttpClient.newHttpClient();

	@BeforeAll
	void start() {
		this.kafka = TestBrokers.start();
		MongoWire server = MongoWireServer.shared();
		String database = "uploadLimits" + new ObjectId();
		this.api = VideoApiApplication.application()
			.run("--server.port=0", "--video.api.browser-port=-1",
					"--spring.kafka.bootstrap-servers=" + this.kafka.getBrokersAsString(),
					"--spring.mongodb.uri=mongodb://127.0.0.1:" + server.port() + "/" + database,
					"--video.api.upload.resumable.max-open-per-client=3", "--video.api.upload.resumable.max-open=5",
					"--video.api.upload.resumable.creation-burst=5",
					"--video.api.upload.resumable.creations-per-minute=1", "--video.api.upload.sweep-interval=1h");
		this.mongo = MongoClients.create(server.uri());
		this.uploads = this.mongo.getDatabase(database).getCollection(UploadRecords.COLLECTION);
	}

	@AfterAll
	void stop() {
		this.mongo.close();
		if (this.api.isActive()) {
			this.api.close();
		}
		this.kafka.destroy();
	}

	@Test
	@Order(1)
	void aClientGetsAsManyOpenUploadsAsItMayAndNoMoreThanAllMayHaveOrItsRateAllows() throws Exception {
		List<String> mine = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			HttpResponse<String> created = create();
			assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
			mine.add(created.headers().firstValue("Location").orElseThrow());
		}
		assertRefused(create(), 429, "Too many open uploads");
		assertThat(this.uploads.countDocuments()).isEqualTo(3);

		// One of its own ends; others' uploads fill the server meanwhile.
		assertThat(send(request(mine.get(0)).DELETE()).statusCode()).isEqualTo(204);
		UploadRecords records = this.api.getBean(UploadRecords.class);
		Instant now = Instant.now();
		for (int i = 0; i < 3; i++) {
			records.create(new ObjectId(), "k", null, "someone-else", 1000, "x.mp4", "", now,
					now.plus(Duration.ofHours(1)));
		}
		assertRefused(create(), 503, "No room for uploads");

		HttpResponse<String> tooFast = create();
		assertRefused(tooFast, 429, "Too many new uploads");
		assertThat(Long.parseLong(tooFast.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
		assertThat(this.uploads.countDocuments()).isEqualTo(5);
	}

	@Test
	@Order(2)
	void oneSweepPassClearsThousandsOfExpiredUploads() {
		this.uploads.deleteMany(new Document());
		insertExpired(5000, 0);
		UploadSweep sweep = this.api.getBean(UploadSweep.class);

		// Generous: before, a pass took 500 at most, each removal reading every record.
		long started = System.nanoTime();
		sweep.sweep();
		assertThat(this.uploads.countDocuments()).isZero();
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(60));
	}

	@Test
	@Order(3)
	void aShutdownDoesNotWaitForTheSweep() throws Exception {
		this.uploads.deleteMany(new Document());
		// With a chunk each: the sweep removes their bytes too, file by file.
		insertExpired(20_000, 1);
		UploadSweep sweep = this.api.getBean(UploadSweep.class);
		CompletableFuture<Void> pass = CompletableFuture.runAsync(sweep::sweep);
		await().atMost(Duration.ofSeconds(30)).until(() -> this.uploads.countDocuments() < 20_000);

		// What the application's stop does first, before the scheduler waits for its
		// tasks.
		sweep.stop();
		pass.get(8, TimeUnit.SECONDS);
		assertThat(this.uploads.countDocuments()).as("the pass was stopped half-way").isPositive();
		long started = System.nanoTime();
		this.api.close();
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
	}

	/** {@code count} uploads that expired an hour ago, of {@code chunks} chunks each. */
	private void insertExpired(int count, int chunks) {
		Instant hourAgo = Instant.now().minus(Duration.ofHours(1));
		ObjectId first = new ObjectId();
		this.api.getBean(UploadRecords.class)
			.create(first, "k", null, "abandoner", 1 << 30, "x.mp4", "", hourAgo.minus(Duration.ofDays(1)), hourAgo);
		Document template = this.uploads.find(new Document("_id", first)).first();
		List<Document> more = new ArrayList<>();
		for (int i = 1; i < count; i++) {
			Document copy = new Document(template);
			copy.put("_id", new ObjectId());
			copy.put("chunks", chunks);
			copy.put("expiresAt", Date.from(hourAgo));
			more.add(copy);
			if (more.size() == 1000 || i == count - 1) {
				this.uploads.insertMany(more);
				more = new ArrayList<>();
			}
		}
		this.uploads.updateOne(new Document("_id", first), new Document("$set", new Document("chunks", chunks)));
	}

	private HttpResponse<String> create() throws Exception {
		return send(request("/v1/uploads").header("Upload-Length", "1000").POST(BodyPublishers.noBody()));
	}

	private HttpRequest.Builder request(String path) {
		int port = ((WebServerApplicationContext) this.api).getWebServer().getPort();
		return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("Tus-Resumable", "1.0.0");
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.http.send(request.build(), BodyHandlers.ofString());
	}

	private static void assertRefused(HttpResponse<String> response, int status, String title) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(response.body()).contains("\"title\":\"" + title + "\"");
		assertThat(response.headers().firstValue("Retry-After")).isPresent();
	}

}
