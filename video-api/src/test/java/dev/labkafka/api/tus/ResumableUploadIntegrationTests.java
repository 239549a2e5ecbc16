package dev.labkafka.api.tus;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import dev.labkafka.api.VideoApiApplication;
import dev.labkafka.testsupport.Instances;
import dev.labkafka.testsupport.MongoWireServer;
import dev.labkafka.testsupport.TestBrokers;
import dev.labkafka.testsupport.SampleVideos;
import io.tus.java.client.TusClient;
import io.tus.java.client.TusURLMemoryStore;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusUploader;
import org.bson.Document;
import org.bson.types.Binary;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Resumable uploads (tus 1.0.0) over real HTTP, on two API instances that share a
 * MongoDB-wire server and a Kafka broker: the tus project's Java client uploads in
 * chunks, stops, and resumes on the other instance; raw requests for every error case.
 * The second instance reads one upload body at a time.
 */
@TestInstance(Lifecycle.PER_CLASS)
class ResumableUploadIntegrationTests {

	static final JsonMapper json = JsonMapper.builder().build();

	static final int MAX_FILE_SIZE = 1024 * 1024;

	EmbeddedKafkaKraftBroker kafka;

	Instances instances;

	ConfigurableApplicationContext first;

	ConfigurableApplicationContext second;

	MongoClient mongo;

	MongoDatabase database;

	final HttpClient http = HttpClient.newHttpClient();

	@BeforeAll
	void startTwoInstances() {
		this.kafka = TestBrokers.start();
		this.instances = new Instances(VideoApiApplication::application, this.kafka.getBrokersAsString(),
				"--video.api.browser-port=-1", "--video.api.upload.max-file-size=" + MAX_FILE_SIZE + "B");
		this.first = this.instances.start();
		this.second = this.instances.start("--video.api.upload.max-concurrent=1");
		this.mongo = MongoClients.create(MongoWireServer.shared().uri());
		this.database = this.mongo.getDatabase(MongoWireServer.DATABASE);
	}

	@AfterAll
	void stop() {
		this.mongo.close();
		this.instances.close();
		this.kafka.destroy();
	}

	@Test
	void theTusClientUploadsInChunksStopsAndResumesOnTheOtherInstance() throws Exception {
		byte[] video = video(700 * 1024);
		TusURLMemoryStore urls = new TusURLMemoryStore();
		TusUpload upload = tusUpload(video, "holiday.mp4");

		TusClient onFirst = tusClient(this.first, urls);
		TusUploader uploader = onFirst.createUpload(upload);
		uploader.setChunkSize(100 * 1024);
		uploader.setRequestPayloadSize(100 * 1024);
		for (int i = 0; i < 3; i++) {
			uploader.uploadChunk();
		}
		uploader.finish();
		String id = idOf(uploader.getUploadURL());
		HttpResponse<String> head = head(this.second, id);
		assertThat(head.statusCode()).isEqualTo(200);
		assertThat(head.headers().firstValue("Upload-Offset")).hasValue(String.valueOf(300 * 1024));
		assertThat(head.headers().firstValue("Upload-Length")).hasValue(String.valueOf(video.length));
		assertThat(head.headers().firstValue("Video-Id")).hasValue(videoId(id).toHexString());
		assertThat(status(this.first, "/v1/videos/" + videoId(id))).as("no video before its last byte").isEqualTo(404);

		// Another client, as after a restart, on the other instance: the stored URL,
		// through
		// a load balancer, reaches whichever instance.
		urls.set(upload.getFingerprint(), new URL(base(this.second) + "/v1/uploads/" + id));
		TusClient onSecond = tusClient(this.second, urls);
		TusUploader resumed = onSecond.resumeUpload(tusUpload(video, "holiday.mp4"));
		assertThat(resumed.getOffset()).isEqualTo(300 * 1024);
		resumed.setChunkSize(128 * 1024);
		while (resumed.uploadChunk() > -1) {
			// Until the last byte is in.
		}
		resumed.finish();

		JsonNode stored = json.readTree(get(this.first, "/v1/videos/" + videoId(id)).body());
		assertThat(stored.get("size").asLong()).isEqualTo(video.length);
		assertThat(stored.get("filename").asString()).isEqualTo("holiday.mp4");
		assertThat(stored.get("status").asString()).isEqualTo("uploaded");
		HttpResponse<byte[]> content = this.http
			.send(HttpRequest.newBuilder(URI.create(base(this.second) + "/v1/videos/" + videoId(id) + "/content"))
				.build(), BodyHandlers.ofByteArray());
		assertThat(content.headers().firstValue("Content-Type")).hasValue("video/mp4");
		assertThat(content.body()).isEqualTo(video);
		assertThat(this.database.getCollection("videos").countDocuments(new Document("_id", videoId(id)))).isOne();
	}

	@Test
	void announcesWhatItSupports() throws Exception {
		HttpResponse<String> options = send(this.first,
				HttpRequest.newBuilder().method("OPTIONS", BodyPublishers.noBody()), "/v1/uploads");

		assertThat(options.statusCode()).isEqualTo(204);
		assertThat(options.headers().firstValue("Tus-Version")).hasValue("1.0.0");
		assertThat(options.headers().firstValue("Tus-Extension").orElseThrow().split(",")).contains("creation",
				"termination", "expiration", "creation-with-upload");
		assertThat(options.headers().firstValue("Tus-Max-Size")).hasValue(String.valueOf(MAX_FILE_SIZE));
	}

	@Test
	void refusesBadCreationsAndStoresNothing() throws Exception {
		long uploads = uploadCount();
		assertProblem(send(this.first,
				HttpRequest.newBuilder().header("Upload-Length", "1000").POST(BodyPublishers.noBody()), "/v1/uploads"),
				412, "Unsupported tus version");
		assertProblem(create(null, null), 400, "Invalid upload request");
		assertProblem(create("-5", null), 400, "Invalid upload request");
		assertProblem(create("ten", null), 400, "Invalid upload request");
		assertProblem(create("0", null), 400, "Invalid upload request");
		assertProblem(create("+5", null), 400, "Invalid upload request");
		assertProblem(
				send(this.first,
						HttpRequest.newBuilder()
							.header("Tus-Resumable", "1.0.0")
							.header("Upload-Length", "10")
							.header("Content-Type", "application/offset+octet-stream")
							.POST(BodyPublishers.ofByteArray(new byte[11])),
						"/v1/uploads"),
				400, "Invalid upload request");
		assertProblem(create(String.valueOf(MAX_FILE_SIZE + 1), null), 413, "Upload too large");
		assertProblem(create("1000", "filename not-base64!"), 400, "Invalid upload request");
		assertProblem(create("1000", "filename aGk=,filename aGk="), 400, "Invalid upload request");
		assertProblem(send(this.first,
				HttpRequest.newBuilder()
					.header("Tus-Resumable", "1.0.0")
					.header("Upload-Length", "1000")
					.header("Content-Type", "not a type")
					.POST(BodyPublishers.ofString("x")),
				"/v1/uploads"), 400, "Invalid upload request");
		assertThat(uploadCount()).isEqualTo(uploads);
	}

	@Test
	void refusesBytesThatAreNotAVideoAsSoonAsTheyArriveAndKeepsNothing() throws Exception {
		String id = created(create("600000", null));
		byte[] notAVideo = new byte[300 * 1024];
		new Random(1).nextBytes(notAVideo);

		assertProblem(patch(this.first, id, 0, notAVideo), 415, "Not a video");
		assertThat(head(this.first, id).statusCode()).isEqualTo(404);
		assertThat(chunksOf(id)).isZero();
	}

	@Test
	void anUploadIsReachedOnlyByItsUnguessableAddressNotByItsVideoId() throws Exception {
		byte[] video = video(2000);
		String mine = created(create(String.valueOf(video.length), null));
		String victims = created(create(String.valueOf(video.length), null));
		assertThat(mine).matches("[0-9a-f]{24}-[A-Za-z0-9_-]{32}");
		String key = mine.substring(25);
		assertThat(victims.substring(25)).isNotEqualTo(key);

		// The victim's video id is public (and ObjectIds count up): without its key, or
		// with the attacker's own, nobody reaches its upload.
		String victimsVideo = videoId(victims).toHexString();
		for (String guess : new String[] { victimsVideo, victimsVideo + "-" + key,
				victimsVideo + "-" + "A".repeat(32) }) {
			assertProblem(head(this.first, guess), 404, null);
			assertProblem(patch(this.first, guess, 0, video), 404, "Upload not found");
			assertProblem(send(this.first, tusRequest(this.first, guess, -1).DELETE(), "/v1/uploads/" + guess), 404,
					"Upload not found");
		}
		HttpResponse<String> head = head(this.second, victims);
		assertThat(head.statusCode()).isEqualTo(200);
		assertThat(head.headers().firstValue("Upload-Offset")).as("nothing appended by a guess").hasValue("0");
		assertThat(head.headers().firstValue("Video-Id")).hasValue(victimsVideo);
		assertThat(patch(this.second, victims, 0, video).statusCode()).isEqualTo(204);
	}

	@Test
	void refusesAnAppendAtTheWrongOffsetOrOfTheWrongTypeAndNamesTheVideo() throws Exception {
		byte[] video = video(400 * 1024);
		HttpResponse<String> creation = create(String.valueOf(video.length), null);
		String id = created(creation);
		assertThat(creation.headers().firstValue("Upload-Expires")).isPresent();
		assertThat(patch(this.first, id, 0, Arrays.copyOf(video, 1000)).statusCode()).isEqualTo(204);

		HttpResponse<String> wrongOffset = patch(this.second, id, 0, Arrays.copyOfRange(video, 0, 1000));
		assertProblem(wrongOffset, 409, "Wrong offset");
		assertThat(wrongOffset.headers().firstValue("Video-Id")).hasValue(videoId(id).toHexString());
		assertThat(json.readTree(wrongOffset.body()).get("offset").asLong()).isEqualTo(1000);
		assertProblem(
				send(this.first,
						HttpRequest.newBuilder()
							.header("Tus-Resumable", "1.0.0")
							.header("Upload-Offset", "1000")
							.header("Content-Type", "application/octet-stream")
							.method("PATCH", BodyPublishers.ofByteArray(new byte[10])),
						"/v1/uploads/" + id),
				415, null);
		assertProblem(patch(this.first, new ObjectId().toHexString(), 0, new byte[10]), 404, "Upload not found");
		assertProblem(patch(this.first, "abc", 0, new byte[10]), 404, "Upload not found");
		assertProblem(patch(this.first, id, 1000, new byte[video.length]), 400, "Invalid upload request");
		assertThat(head(this.first, id).headers().firstValue("Upload-Offset")).hasValue("1000");
	}

	@Test
	void twoAppendsAtOnceOnOneUploadOneWinsTheOtherIsRefused() throws Exception {
		byte[] video = video(300 * 1024);
		String id = created(create(String.valueOf(video.length), null));
		try (SlowClient first = SlowClient.open(port(this.first), "PATCH /v1/uploads/" + id, video.length,
				"Tus-Resumable: 1.0.0", "Upload-Offset: 0", "Content-Type: application/offset+octet-stream")) {
			first.send(video, 0, 1000);
			await().atMost(Duration.ofSeconds(10)).until(() -> locked(id));

			HttpResponse<String> meanwhile = patch(this.second, id, 0, video);

			assertProblem(meanwhile, 409, "Upload busy");
			first.send(video, 1000, video.length - 1000);
			assertThat(first.status()).isEqualTo(204);
		}
		assertThat(status(this.second, "/v1/videos/" + videoId(id))).isEqualTo(200);
	}

	@Test
	void aClientThatGoesAwayKeepsWhatItSent() throws Exception {
		byte[] video = video(600 * 1024);
		String id = created(create(String.valueOf(video.length), null));
		int sent = 300 * 1024;
		try (SlowClient dropped = SlowClient.open(port(this.first), "PATCH /v1/uploads/" + id, video.length,
				"Tus-Resumable: 1.0.0", "Upload-Offset: 0", "Content-Type: application/offset+octet-stream")) {
			dropped.send(video, 0, sent);
		}

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(head(this.second, id).headers().firstValue("Upload-Offset"))
				.hasValue(String.valueOf(sent)));
		assertThat(patch(this.second, id, sent, Arrays.copyOfRange(video, sent, video.length)).statusCode())
			.isEqualTo(204);
		assertThat(this.http
			.send(HttpRequest.newBuilder(URI.create(base(this.first) + "/v1/videos/" + videoId(id) + "/content"))
				.build(), BodyHandlers.ofByteArray())
			.body()).isEqualTo(video);
	}

	@Test
	void onePatchLongerThanABatchIsStoredByteForByte() throws Exception {
		// A whole batch, then the short last chunk read into the batch's first array,
		// filled again after its insert: every chunk must still hold its own bytes, the
		// last only its own. 1 MB is the tests' limit on a video.
		byte[] video = video(1 << 20);
		String id = created(create(String.valueOf(video.length), null));

		assertThat(patch(this.first, id, 0, video).statusCode()).isEqualTo(204);
		assertThat(chunksOf(id)).isEqualTo(Append.BATCH + 1);
		assertThat(this.http
			.send(HttpRequest.newBuilder(URI.create(base(this.first) + "/v1/videos/" + videoId(id) + "/content"))
				.build(), BodyHandlers.ofByteArray())
			.body()).isEqualTo(video);
	}

	@Test
	void aClientThatGoesAwayInTheMiddleOfABatchKeepsEveryWholeChunkInGridFs() throws Exception {
		int chunk = GridFsChunks.CHUNK_SIZE;
		byte[] video = video(Append.BATCH * chunk);
		String id = created(create(String.valueOf(video.length), null));
		// Half a batch, and some bytes past the last whole chunk.
		int sent = (Append.BATCH / 2) * chunk + 1000;
		try (SlowClient dropped = SlowClient.open(port(this.first), "PATCH /v1/uploads/" + id, video.length,
				"Tus-Resumable: 1.0.0", "Upload-Offset: 0", "Content-Type: application/offset+octet-stream")) {
			dropped.send(video, 0, sent);
		}

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(head(this.second, id).headers().firstValue("Upload-Offset"))
				.hasValue(String.valueOf(sent)));
		// What the record keeps is less than a chunk: the rest is in GridFS.
		assertThat(this.database.getCollection("fs.chunks").countDocuments(new Document("files_id", videoId(id))))
			.isEqualTo(sent / chunk);
		assertThat(patch(this.second, id, sent, Arrays.copyOfRange(video, sent, video.length)).statusCode())
			.isEqualTo(204);
		assertThat(this.http
			.send(HttpRequest.newBuilder(URI.create(base(this.first) + "/v1/videos/" + videoId(id) + "/content"))
				.build(), BodyHandlers.ofByteArray())
			.body()).isEqualTo(video);
	}

	@Test
	void anAppendAfterOneThatDiedHalfWayRemovesTheChunkItLeftPastTheOffset() throws Exception {
		byte[] video = video(300 * 1024);
		String id = created(create(String.valueOf(video.length), null));
		// An append whose instance died after it stored a chunk, before it moved the
		// offset: it still holds the upload, its lease run out.
		this.database.getCollection("fs.chunks")
			.insertOne(new Document("files_id", videoId(id)).append("n", 0)
				.append("data", new Binary(new byte[GridFsChunks.CHUNK_SIZE])));
		this.database.getCollection(UploadRecords.COLLECTION)
			.updateOne(new Document("_id", videoId(id)), new Document("$set", new Document("lock", "dead")
				.append("lockedUntil", java.util.Date.from(java.time.Instant.now().minusSeconds(1)))));

		assertThat(patch(this.second, id, 0, video).statusCode()).isEqualTo(204);

		assertThat(this.http
			.send(HttpRequest.newBuilder(URI.create(base(this.first) + "/v1/videos/" + videoId(id) + "/content"))
				.build(), BodyHandlers.ofByteArray())
			.body()).isEqualTo(video);
	}

	@Test
	void anExpiredUploadIsGoneAndSoIsACompleteOneWhoseVideoWasDeleted() throws Exception {
		ObjectId expired = new ObjectId();
		this.database.getCollection(UploadRecords.COLLECTION)
			.insertOne(new Document("_id", expired).append("key", "K".repeat(32))
				.append("length", 1000L)
				.append("offset", 0L)
				.append("chunks", 0)
				.append("filename", "old.mp4")
				.append("metadata", "")
				.append("expiresAt", new Date(System.currentTimeMillis() - 1000))
				.append("state", "receiving")
				.append("lock", null));
		String address = expired.toHexString() + "-" + "K".repeat(32);
		assertThat(head(this.first, address).statusCode()).isEqualTo(410);
		assertProblem(patch(this.second, address, 0, new byte[10]), 410, "Upload expired");

		byte[] video = video(10 * 1024);
		String id = created(create(String.valueOf(video.length), null));
		assertThat(patch(this.first, id, 0, video).statusCode()).isEqualTo(204);
		assertThat(this.http
			.send(HttpRequest.newBuilder(URI.create(base(this.first) + "/v1/videos/" + videoId(id))).DELETE().build(),
					BodyHandlers.ofString())
			.statusCode()).isEqualTo(200);
		assertThat(head(this.second, id).statusCode()).isEqualTo(404);
	}

	@Test
	void aSlowButLiveAppendKeepsTheUploadForItself() throws Exception {
		byte[] video = video(300 * 1024);
		String id = created(create(String.valueOf(video.length), null));
		try (SlowClient slow = SlowClient.open(port(this.first), "PATCH /v1/uploads/" + id, video.length,
				"Tus-Resumable: 1.0.0", "Upload-Offset: 0", "Content-Type: application/offset+octet-stream")) {
			int sent = 0;
			long end = System.nanoTime() + UploadRecords.LEASE.plusSeconds(3).toNanos();
			while (System.nanoTime() < end) {
				slow.send(video, sent, 100);
				sent += 100;
				Thread.sleep(500);
			}

			assertProblem(patch(this.second, id, 0, video), 409, "Upload busy");
			slow.send(video, sent, video.length - sent);
			assertThat(slow.status()).isEqualTo(204);
		}
	}

	@Test
	void terminatingRemovesTheUploadAndItsBytes() throws Exception {
		byte[] video = video(400 * 1024);
		String id = created(create(String.valueOf(video.length), null));
		assertThat(patch(this.first, id, 0, Arrays.copyOf(video, 300 * 1024)).statusCode()).isEqualTo(204);
		assertThat(chunksOf(id)).isOne();

		HttpResponse<String> terminated = send(this.second, tusRequest(this.second, id, -1).DELETE(),
				"/v1/uploads/" + id);

		assertThat(terminated.statusCode()).isEqualTo(204);
		assertProblem(head(this.first, id), 404, null);
		assertThat(chunksOf(id)).isZero();
		assertThat(this.database.getCollection("fs.files").countDocuments(new Document("_id", videoId(id)))).isZero();
	}

	@Test
	void aCompleteUploadIsAVideoAndCannotBeTerminated() throws Exception {
		byte[] video = video(10 * 1024);
		HttpResponse<String> created = send(this.first,
				HttpRequest.newBuilder()
					.header("Tus-Resumable", "1.0.0")
					.header("Upload-Length", String.valueOf(video.length))
					.header("Upload-Metadata", "filename " + base64("clip.mp4") + ",filetype " + base64("video/mp4"))
					.header("Content-Type", "application/offset+octet-stream")
					.POST(BodyPublishers.ofByteArray(video)),
				"/v1/uploads");
		String id = created(created);
		assertThat(created.headers().firstValue("Upload-Offset")).hasValue(String.valueOf(video.length));

		assertThat(status(this.second, "/v1/videos/" + videoId(id))).isEqualTo(200);
		HttpResponse<String> head = head(this.second, id);
		assertThat(head.headers().firstValue("Upload-Offset")).hasValue(String.valueOf(video.length));
		assertThat(head.headers().firstValue("Upload-Metadata"))
			.hasValue("filename " + base64("clip.mp4") + ",filetype " + base64("video/mp4"));
		assertProblem(send(this.first, tusRequest(this.first, id, -1).DELETE(), "/v1/uploads/" + id), 409,
				"Upload complete");
	}

	@Test
	void pastTheCapOnConcurrentUploadsTheAnswerIs503WithRetryAfter() throws Exception {
		byte[] video = SampleVideos.mp4();
		byte[] head = ("--cap\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.mp4\"\r\n"
				+ "Content-Type: video/mp4\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII);
		byte[] end = "\r\n--cap--\r\n".getBytes(StandardCharsets.US_ASCII);
		SlowClient holding = SlowClient.open(port(this.second), "POST /v1/videos",
				head.length + video.length + end.length, "Content-Type: multipart/form-data; boundary=cap");
		holding.send(head, 0, head.length);
		holding.send(video, 0, 100);
		await().atMost(Duration.ofSeconds(10)).until(() -> activeUploads(this.second) == 1);

		HttpResponse<String> multipart = send(this.second,
				HttpRequest.newBuilder()
					.header("Content-Type", "multipart/form-data; boundary=x")
					.POST(BodyPublishers.ofString("--x--\r\n")),
				"/v1/videos");
		String id = created(create(String.valueOf(video.length), null));
		HttpResponse<String> resumable = patch(this.second, id, 0, video);
		long uploads = uploadCount();
		HttpResponse<String> creationWithBytes = send(this.second,
				HttpRequest.newBuilder()
					.header("Tus-Resumable", "1.0.0")
					.header("Upload-Length", String.valueOf(video.length))
					.header("Content-Type", "application/offset+octet-stream")
					.POST(BodyPublishers.ofByteArray(video)),
				"/v1/uploads");
		assertThat(uploadCount()).as("nothing created").isEqualTo(uploads);

		for (HttpResponse<String> refused : List.of(multipart, resumable, creationWithBytes)) {
			assertProblem(refused, 503, "Too many uploads");
			assertThat(refused.headers().firstValue("Retry-After")).isPresent();
		}
		assertThat(patch(this.first, id, 0, video).statusCode()).as("another instance has its own slots")
			.isEqualTo(204);
		holding.send(video, 100, video.length - 100);
		holding.send(end, 0, end.length);
		assertThat(holding.status()).isEqualTo(201);
		holding.close();
		assertThat(activeUploads(this.second)).isZero();
	}

	private boolean locked(String id) {
		Document upload = this.database.getCollection(UploadRecords.COLLECTION)
			.find(new Document("_id", videoId(id)))
			.first();
		return upload != null && upload.get("lock") != null;
	}

	private HttpResponse<String> create(String length, String metadata) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder().header("Tus-Resumable", "1.0.0");
		if (length != null) {
			request.header("Upload-Length", length);
		}
		if (metadata != null) {
			request.header("Upload-Metadata", metadata);
		}
		return send(this.first, request.POST(BodyPublishers.noBody()), "/v1/uploads");
	}

	private static String created(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		String location = response.headers().firstValue("Location").orElseThrow();
		String id = location.substring(location.lastIndexOf('/') + 1);
		assertThat(response.headers().firstValue("Video-Id")).hasValue(videoId(id).toHexString());
		return id;
	}

	private HttpResponse<String> patch(ConfigurableApplicationContext instance, String id, long offset, byte[] bytes)
			throws Exception {
		return this.http.send(
				tusRequest(instance, id, offset).method("PATCH", BodyPublishers.ofByteArray(bytes)).build(),
				BodyHandlers.ofString());
	}

	private HttpResponse<String> head(ConfigurableApplicationContext instance, String id) throws Exception {
		return send(instance,
				HttpRequest.newBuilder().header("Tus-Resumable", "1.0.0").method("HEAD", BodyPublishers.noBody()),
				"/v1/uploads/" + id);
	}

	private HttpRequest.Builder tusRequest(ConfigurableApplicationContext instance, String id, long offset) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base(instance) + "/v1/uploads/" + id))
			.header("Tus-Resumable", "1.0.0");
		if (offset >= 0) {
			request.header("Upload-Offset", String.valueOf(offset))
				.header("Content-Type", "application/offset+octet-stream");
		}
		return request;
	}

	private HttpResponse<String> send(ConfigurableApplicationContext instance, HttpRequest.Builder request, String path)
			throws Exception {
		return this.http.send(request.uri(URI.create(base(instance) + path)).build(), BodyHandlers.ofString());
	}

	private HttpResponse<String> get(ConfigurableApplicationContext instance, String path) throws Exception {
		return send(instance, HttpRequest.newBuilder().GET(), path);
	}

	private int status(ConfigurableApplicationContext instance, String path) throws Exception {
		return get(instance, path).statusCode();
	}

	private static void assertProblem(HttpResponse<String> response, int status, String title) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		if (response.uri().getPath().startsWith(TusController.PATH)) {
			assertThat(response.headers().firstValue("Tus-Resumable")).as("on every answer about uploads")
				.hasValue("1.0.0");
		}
		if (response.request().method().equals("HEAD")) {
			return;
		}
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		if (title != null) {
			assertThat(json.readTree(response.body()).get("title").asString()).isEqualTo(title);
		}
	}

	private long uploadCount() {
		return this.database.getCollection(UploadRecords.COLLECTION).countDocuments();
	}

	private long chunksOf(String id) {
		return this.database.getCollection("fs.chunks").countDocuments(new Document("files_id", videoId(id)));
	}

	private static TusClient tusClient(ConfigurableApplicationContext instance, TusURLMemoryStore urls)
			throws IOException {
		TusClient client = new TusClient();
		client.setUploadCreationURL(new URL(base(instance) + "/v1/uploads"));
		client.enableResuming(urls);
		return client;
	}

	private static TusUpload tusUpload(byte[] video, String filename) {
		TusUpload upload = new TusUpload();
		upload.setInputStream(new ByteArrayInputStream(video));
		upload.setSize(video.length);
		upload.setFingerprint("test-" + video.length + "-" + Arrays.hashCode(video));
		Map<String, String> metadata = new HashMap<>();
		metadata.put("filename", filename);
		metadata.put("filetype", "video/mp4");
		upload.setMetadata(metadata);
		return upload;
	}

	private static String idOf(URL upload) {
		String path = upload.getPath();
		return path.substring(path.lastIndexOf('/') + 1);
	}

	/** The id of the video of the upload at this address. */
	static ObjectId videoId(String address) {
		return new ObjectId(address.substring(0, 24));
	}

	/** A real MP4's bytes, then random ones, {@code size} in all. */
	static byte[] video(int size) {
		byte[] sample = SampleVideos.mp4();
		byte[] video = new byte[size];
		new Random(size).nextBytes(video);
		System.arraycopy(sample, 0, video, 0, Math.min(sample.length, 1024));
		return video;
	}

	private static String base64(String text) {
		return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
	}

	private static String base(ConfigurableApplicationContext instance) {
		return "http://localhost:" + port(instance);
	}

	private static int port(ConfigurableApplicationContext instance) {
		return ((WebServerApplicationContext) instance).getWebServer().getPort();
	}

	/** A client that sends its request's body when the test says. */
	private static final class SlowClient implements AutoCloseable {

		private final Socket socket;

		private SlowClient(Socket socket) {
			this.socket = socket;
		}

		static SlowClient open(int port, String requestLine, int contentLength, String... headers) throws IOException {
			Socket socket = new Socket("localhost", port);
			StringBuilder head = new StringBuilder(requestLine).append(" HTTP/1.1\r\nHost: localhost\r\n");
			for (String header : headers) {
				head.append(header).append("\r\n");
			}
			head.append("Content-Length: ").append(contentLength).append("\r\n\r\n");
			socket.getOutputStream().write(head.toString().getBytes(StandardCharsets.US_ASCII));
			return new SlowClient(socket);
		}

		void send(byte[] bytes, int offset, int length) throws IOException {
			this.socket.getOutputStream().write(bytes, offset, length);
			this.socket.getOutputStream().flush();
		}

		/** The answer's status code. */
		int status() throws IOException {
			this.socket.setSoTimeout(30_000);
			String statusLine = new String(this.socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
			return Integer.parseInt(statusLine.substring(9, 12));
		}

		@Override
		public void close() throws IOException {
			this.socket.close();
		}

	}

	/** Upload bodies being read now by {@code instance}, as its metrics say. */
	private static double activeUploads(ConfigurableApplicationContext instance) {
		return instance.getBean(MeterRegistry.class).get("videos.uploads.active").gauge().value();
	}

}
