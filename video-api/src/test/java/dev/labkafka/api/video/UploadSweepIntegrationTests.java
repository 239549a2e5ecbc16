package dev.labkafka.api.video;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;

import com.mongodb.client.MongoCollection;
import org.bson.Document;
import org.bson.types.Binary;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.annotation.DirtiesContext.ClassMode;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sweep over real HTTP and a MongoDB-wire server, with uploads that expire after 2 s
 * of receiving nothing: expired uploads go with their bytes, and so do bytes that belong
 * to no video and no upload; a video's bytes stay. Its context is closed after the class,
 * so that its sweep does not remove what other tests' uploads are writing.
 */
@DirtiesContext(classMode = ClassMode.AFTER_CLASS)
@TestPropertySource(properties = { "video.api.upload.expiration=2s", "video.api.upload.sweep-interval=300ms" })
class UploadSweepIntegrationTests extends ApiIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(15);

	final HttpClient client = HttpClient.newHttpClient();

	@Test
	void anUploadThatReceivesNothingExpiresAndIsRemovedWithItsBytes() throws Exception {
		byte[] video = ResumableUploadIntegrationTests.video(600 * 1024);
		String id = create(video.length);
		assertThat(patch(id, Arrays.copyOf(video, 300 * 1024)).statusCode()).isEqualTo(204);
		assertThat(chunksOf(id)).isOne();

		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(uploads().countDocuments(new Document("_id", new ObjectId(id)))).isZero();
			assertThat(chunksOf(id)).isZero();
		});
		assertThat(head(id).statusCode()).isEqualTo(404);
	}

	@Test
	void aCompleteUploadIsForgottenOnceItExpiresButItsVideoKeepsItsBytes() throws Exception {
		byte[] video = ResumableUploadIntegrationTests.video(300 * 1024);
		String id = create(video.length);
		assertThat(patch(id, video).statusCode()).isEqualTo(204);

		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(uploads().countDocuments(new Document("_id", new ObjectId(id)))).isZero());
		HttpResponse<byte[]> content = this.client
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/v1/videos/" + id + "/content"))
				.build(), BodyHandlers.ofByteArray());
		assertThat(content.statusCode()).isEqualTo(200);
		assertThat(content.body()).isEqualTo(video);
	}

	@Test
	void bytesThatBelongToNoVideoAndNoUploadAreRemovedOnceOld() {
		ObjectId orphan = ObjectId.getSmallestWithDate(Date.from(Instant.now().minus(Duration.ofMinutes(1))));
		ObjectId owned = new ObjectId(Date.from(Instant.now().minus(Duration.ofMinutes(1))));
		storeChunks(orphan, true);
		storeChunks(owned, true);
		ObjectId cutShort = new ObjectId(Date.from(Instant.now().minus(Duration.ofMinutes(2))));
		storeChunks(cutShort, false);
		videosCollection().insertOne(new Document("_id", owned).append("status", "success"));

		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(chunksOf(orphan.toHexString())).isZero();
			assertThat(chunksOf(cutShort.toHexString())).as("a multipart upload cut short: chunks only").isZero();
			assertThat(database().getCollection("fs.files").countDocuments(new Document("_id", orphan))).isZero();
		});
		assertThat(chunksOf(owned.toHexString())).isEqualTo(2);
	}

	private void storeChunks(ObjectId id, boolean withFile) {
		for (int n = 0; n < 2; n++) {
			database().getCollection("fs.chunks")
				.insertOne(new Document("files_id", id).append("n", n).append("data", new Binary(new byte[16])));
		}
		if (withFile) {
			database().getCollection("fs.files")
				.insertOne(new Document("_id", id).append("length", 32L)
					.append("chunkSize", 16)
					.append("uploadDate", new Date())
					.append("filename", "x.mp4"));
		}
	}

	private MongoCollection<Document> uploads() {
		return database().getCollection(ResumableUploads.COLLECTION);
	}

	private String create(long length) throws Exception {
		HttpResponse<String> created = this.client.send(HttpRequest.newBuilder(uri("/v1/uploads"))
			.header("Tus-Resumable", "1.0.0")
			.header("Upload-Length", String.valueOf(length))
			.POST(BodyPublishers.noBody())
			.build(), BodyHandlers.ofString());
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		return created.headers().firstValue("Video-Id").orElseThrow();
	}

	private HttpResponse<String> patch(String id, byte[] bytes) throws Exception {
		return this.client.send(HttpRequest.newBuilder(uri("/v1/uploads/" + id))
			.header("Tus-Resumable", "1.0.0")
			.header("Upload-Offset", "0")
			.header("Content-Type", "application/offset+octet-stream")
			.method("PATCH", BodyPublishers.ofByteArray(bytes))
			.build(), BodyHandlers.ofString());
	}

	private HttpResponse<String> head(String id) throws Exception {
		return this.client.send(HttpRequest.newBuilder(uri("/v1/uploads/" + id))
			.header("Tus-Resumable", "1.0.0")
			.method("HEAD", BodyPublishers.noBody())
			.build(), BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

}
