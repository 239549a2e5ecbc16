package dev.labkafka.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import dev.labkafka.testsupport.LenientHttp;
import dev.labkafka.api.VideoApiApplication;
import dev.labkafka.stream.VideoStreamApplication;
import dev.labkafka.localstack.FreePorts;
import dev.labkafka.testsupport.MongoWireServer;
import dev.labkafka.testsupport.TestBrokers;
import dev.labkafka.testsupport.TestClips;
import dev.labkafka.videos.StoredMedia;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * Real renditions from end to end: both services as their {@code main} methods start
 * them, the worker with {@code video.stream.transcoder=ffmpeg}, on a real Kafka broker
 * and the MongoDB-wire server. Clips made by ffmpeg go in over HTTP; what comes out is
 * checked the way a player would meet it, by running ffprobe on the urls the API serves.
 * Skipped where ffmpeg is not installed (CI installs it).
 */
@TestInstance(Lifecycle.PER_CLASS)
class FfmpegPipelineTests {

	static final JsonMapper json = JsonMapper.builder().build();

	EmbeddedKafkaKraftBroker kafka;

	ConfigurableApplicationContext stream;

	ConfigurableApplicationContext api;

	RestClient http;

	Path clips;

	@BeforeAll
	void startThePipeline() throws IOException {
		assumeThat(TestClips.ffmpegInstalled()).as("ffmpeg and ffprobe installed").isTrue();
		this.kafka = TestBrokers.start();
		this.clips = Files.createTempDirectory("clips");
		String[] infrastructure = { "--spring.kafka.bootstrap-servers=" + this.kafka.getBrokersAsString(),
				"--spring.mongodb.uri=" + MongoWireServer.shared().uri() };
		int port = FreePorts.next();
		this.stream = VideoStreamApplication.application()
			.run(PipelineEndToEndTests.concat(infrastructure, "--server.port=0", "--video.stream.transcoder=ffmpeg"));
		this.api = VideoApiApplication.application()
			.run(PipelineEndToEndTests.concat(infrastructure, "--server.port=" + port,
					"--video.api.public-base-url=http://localhost:" + port));
		this.http = RestClient.builder().baseUrl("http://localhost:" + port).build();
	}

	@AfterAll
	void stopThePipeline() {
		if (this.api != null) {
			this.api.close();
		}
		if (this.stream != null) {
			this.stream.close();
		}
		if (this.kafka != null) {
			this.kafka.destroy();
		}
	}

	@Test
	void a720pUploadGetsPlayableRenditionsOfExactlyTheirHeightsAndNoUpscaledOne() {
		String id = upload(TestClips.make(this.clips, 1280, 720, 4, true));

		JsonNode video = awaitSuccess(id);

		assertThat(video.get("width").asInt()).isEqualTo(1280);
		assertThat(video.get("height").asInt()).isEqualTo(720);
		assertThat(video.get("duration").asDouble()).isCloseTo(4, within(0.1));
		JsonNode variants = video.get("variants");
		for (int scale : List.of(360, 480, 720)) {
			String url = variants.get(Integer.toString(scale)).asString();
			assertThat(url).endsWith("/v1/videos/" + id + "/variants/" + scale);
			TestClips.Probed rendition = TestClips.probe(url);
			assertThat(rendition.codec()).isEqualTo("h264");
			assertThat(rendition.height()).as("height of %s", scale).isEqualTo(scale);
			assertThat(rendition.width() % 2).isZero();
			assertThat(rendition.duration()).isCloseTo(4, within(0.25));
		}
		assertThat(variants.get("1080").asString()).as("not upscaled: the 720p file")
			.isEqualTo(variants.get("720").asString());
		assertThat(video.get("renditions").get("1080").get("encoded").asBoolean()).isFalse();
		assertThat(video.get("renditions").get("720").get("encoded").asBoolean()).isTrue();
	}

	@Test
	void servesRenditionsWithRangesTagsAndImmutableCachingAndThePosterFrame() {
		String id = upload(TestClips.make(this.clips, 640, 360, 2, true));
		JsonNode video = awaitSuccess(id);
		String rendition = video.get("variants").get("360").asString();

		ResponseEntity<byte[]> range = RestClient.create()
			.get()
			.uri(rendition)
			.header(HttpHeaders.RANGE, "bytes=0-99")
			.retrieve()
			.toEntity(byte[].class);
		assertThat(range.getStatusCode()).isEqualTo(HttpStatus.PARTIAL_CONTENT);
		assertThat(range.getBody()).hasSize(100);
		assertThat(range.getHeaders().getContentType()).isEqualTo(MediaType.parseMediaType("video/mp4"));
		assertThat(range.getHeaders().getCacheControl()).contains("immutable").contains("max-age=31536000");
		String tag = range.getHeaders().getETag();
		assertThat(tag).isNotBlank();
		ResponseEntity<Void> again = RestClient.create()
			.get()
			.uri(rendition)
			.header(HttpHeaders.IF_NONE_MATCH, tag)
			.retrieve()
			.toBodilessEntity();
		assertThat(again.getStatusCode()).isEqualTo(HttpStatus.NOT_MODIFIED);

		ResponseEntity<byte[]> thumbnail = RestClient.create()
			.get()
			.uri(video.get("thumbnail").asString())
			.retrieve()
			.toEntity(byte[].class);
		assertThat(thumbnail.getHeaders().getContentType()).isEqualTo(MediaType.IMAGE_JPEG);
		assertThat(thumbnail.getBody()).startsWith((byte) 0xFF, (byte) 0xD8);
	}

	@Test
	void aSmallUploadGetsNothingTallerThanItself() {
		String id = upload(TestClips.make(this.clips, 320, 240, 2, false));

		JsonNode variants = awaitSuccess(id).get("variants");

		for (JsonNode url : variants) {
			assertThat(TestClips.probe(url.asString()).height()).isEqualTo(240);
		}
	}

	@Test
	void deletingAVideoRemovesItsRenditionsAndPosterFrame() {
		String id = upload(TestClips.make(this.clips, 854, 480, 2, true));
		JsonNode video = awaitSuccess(id);
		await().until(() -> video(id).has("thumbnail"));
		assertThat(files(StoredMedia.RENDITIONS_BUCKET, id)).as("360 and 480; 720 and 1080 are the 480").isEqualTo(2);
		assertThat(files(StoredMedia.THUMBNAILS_BUCKET, id)).isOne();

		this.http.delete().uri("/v1/videos/{id}", id).retrieve().toBodilessEntity();

		for (String bucket : List.of(StoredMedia.RENDITIONS_BUCKET, StoredMedia.THUMBNAILS_BUCKET)) {
			assertThat(files(bucket, id) + chunks(bucket, id)).as(bucket).isZero();
		}
		HttpStatusCode status = RestClient.create()
			.get()
			.uri(video.get("variants").get("360").asString())
			.exchange((request, response) -> response.getStatusCode());
		assertThat(status).isEqualTo(HttpStatus.NOT_FOUND);
	}

	/** Files in a bucket that belong to the video, by id or by id prefix. */
	private static long files(String bucket, String id) {
		return count(bucket + ".files", "_id", id);
	}

	/** Chunks in a bucket that belong to the video's files. */
	private static long chunks(String bucket, String id) {
		return count(bucket + ".chunks", "files_id", id);
	}

	private static long count(String collection, String field, String id) {
		try (MongoClient client = MongoClients.create(MongoWireServer.shared().uri())) {
			MongoDatabase database = client.getDatabase(MongoWireServer.DATABASE);
			return database.getCollection(collection)
				.countDocuments(new Document("$or", List.of(new Document(field, new ObjectId(id)),
						new Document(field, new Document("$regex", "^" + id + "/")))));
		}
	}

	private JsonNode awaitSuccess(String id) {
		await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(250))
			.untilAsserted(() -> assertThat(video(id).get("status").asString()).isEqualTo("success"));
		return video(id);
	}

	private String upload(Path clip) {
		ResponseEntity<String> response = LenientHttp.upload(this.http, new FileSystemResource(clip));
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		return json.readTree(response.getBody()).get("id").asString();
	}

	private JsonNode video(String id) {
		return json.readTree(this.http.get().uri("/v1/videos/{id}", id).retrieve().body(String.class));
	}

}
