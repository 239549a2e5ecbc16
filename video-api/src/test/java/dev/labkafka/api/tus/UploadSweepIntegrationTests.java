package dev.labkafka.api.tus;

import dev.labkafka.api.ApiIntegrationTests;
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
		assertThat(patch(id, 0, Arrays.copyOf(video, 300 * 1024)).statusCode()).isEqualTo(204);
		assertThat(chunksOf(ResumableUploadIntegrationTests.videoId(id).toHexString())).isOne();

		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(uploads().countDocuments(new Document("_id", ResumableUploadIntegrationTests.videoId(id))))
				.isZero();
			assertThat(chunksOf(ResumableUploadIntegrationTests.videoId(id).toHexString())).isZero();
		});
		assertThat(head(id).statusCode()).isEqualTo(404);
	}

	@Test
	void aCompleteUploadIsForgottenOnceItExpiresButItsVideoKeepsItsBytes() throws Exception {
		byte[] video = ResumableUploadIntegrationTests.video(300 * 1024);
		String id = create(video.length);
		assertThat(patch(id, 0, video).statusCode()).isEqualTo(204);

		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(
					uploads().countDocuments(new Document("_id", ResumableUploadIntegrationTests.videoId(id))))
				.isZero());
		HttpResponse<byte[]> content = this.client
			.send(HttpRequest
				.newBuilder(URI.create("http://localhost:" + this.port + "/v1/videos/"
						+ ResumableUploadIntegrationTests.videoId(id) + "/content"))
				.build(), BodyHandlers.ofByteArray());
		assertThat(content.statusCode()).isEqualTo(200);
		assertThat(content.body()).isEqualTo(video);
	}

	@Test
	void bytesThatBelongToNoVideoAndNoUploadAreRemovedOnceNothingWasWrittenToThemForTheExpiration() {
		Date minuteAgo = Date.from(Instant.now().minus(Duration.ofMinutes(1)));
		ObjectId orphan = ObjectId.getSmallestWithDate(minuteAgo);
		storeChunks(orphan, true, minuteAgo, minuteAgo);
		ObjectId owned = new ObjectId(minuteAgo);
		storeChunks(owned, true, minuteAgo, minuteAgo);
		videosCollection().insertOne(new Document("_id", owned).append("status", "success"));
		ObjectId cutShort = new ObjectId(minuteAgo);
		storeChunks(cutShort, false, minuteAgo, minuteAgo);
		// A slow multipart upload that started a minute ago and is still writing: its
		// last
		// chunk is dated ahead, so that it stays recent for as long as the test looks.
		ObjectId running = new ObjectId(minuteAgo);
		storeChunks(running, false, minuteAgo, Date.from(Instant.now().plus(Duration.ofMinutes(1))));

		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(chunksOf(orphan.toHexString())).isZero();
			assertThat(chunksOf(cutShort.toHexString())).as("a multipart upload cut short: chunks only").isZero();
			assertThat(database().getCollection("fs.files").countDocuments(new Document("_id", orphan))).isZero();
		});
		assertThat(chunksOf(owned.toHexString())).isEqualTo(2);
		assertThat(chunksOf(running.toHexString())).isEqualTo(2);
	}

	@Test
	void anUploadThatKeepsReceivingKeepsItsBytesHoweverOldTheyAre() throws Exception {
		byte[] video = ResumableUploadIntegrationTests.video(600 * 1024);
		String id = create(video.length);
		int offset = 300 * 1024;
		assertThat(patch(id, 0, Arrays.copyOf(video, offset)).statusCode()).isEqualTo(204);
		long end = System.nanoTime() + Duration.ofSeconds(4).toNanos();
		while (System.nanoTime() < end) {
			// A client on a slow link: a little every half second, for twice the
			// expiration.
			assertThat(patch(id, offset, Arrays.copyOfRange(video, offset, offset + 10)).statusCode()).isEqualTo(204);
			offset += 10;
			Thread.sleep(500);
		}

		assertThat(chunksOf(ResumableUploadIntegrationTests.videoId(id).toHexString())).isOne();
		assertThat(patch(id, offset, Arrays.copyOfRange(video, offset, video.length)).statusCode()).isEqualTo(204);
		assertThat(this.client.send(
				HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/v1/videos/"
						+ ResumableUploadIntegrationTests.videoId(id) + "/content"))
					.build(),
				BodyHandlers.ofByteArray())
			.body()).isEqualTo(video);
	}

	/** Two chunks of the file {@code id}, written at {@code first} and {@code last}. */
	private void storeChunks(ObjectId id, boolean withFile, Date first, Date last) {
		for (int n = 0; n < 2; n++) {
			ObjectId chunkId = new ObjectId((n == 0) ? first : last);
			database().getCollection("fs.chunks")
				.insertOne(new Document("_id", chunkId).append("files_id", id)
					.append("n", n)
					.append("data", new Binary(new byte[16])));
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
		return database().getCollection(UploadRecords.COLLECTION);
	}

	private String create(long length) throws Exception {
		HttpResponse<String> created = this.client.send(HttpRequest.newBuilder(uri("/v1/uploads"))
			.header("Tus-Resumable", "1.0.0")
			.header("Upload-Length", String.valueOf(length))
			.POST(BodyPublishers.noBody())
			.build(), BodyHandlers.ofString());
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		String location = created.headers().firstValue("Location").orElseThrow();
		return location.substring(location.lastIndexOf('/') + 1);
	}

	private HttpResponse<String> patch(String id, long offset, byte[] bytes) throws Exception {
		return this.client.send(HttpRequest.newBuilder(uri("/v1/uploads/" + id))
			.header("Tus-Resumable", "1.0.0")
			.header("Upload-Offset", String.valueOf(offset))
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
