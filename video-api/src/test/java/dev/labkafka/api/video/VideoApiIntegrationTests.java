package dev.labkafka.api.video;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.mongodb.client.MongoDatabase;
import dev.labkafka.api.VideoApiApplication;
import dev.labkafka.messages.Topics;
import dev.labkafka.testsupport.MongoWireServer;
import dev.labkafka.testsupport.SampleVideos;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.kafka.test.utils.KafkaTestUtils;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The API over real HTTP, on a real Kafka broker and a MongoDB-wire server.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { VideoApiApplication.CONFIG_NAME,
				"spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
				"spring.servlet.multipart.max-file-size=256KB", "spring.servlet.multipart.max-request-size=256KB" })
@EmbeddedKafka
class VideoApiIntegrationTests {

	static final JsonMapper json = JsonMapper.builder().build();

	@DynamicPropertySource
	static void mongo(DynamicPropertyRegistry registry) {
		registry.add("spring.mongodb.uri", MongoWireServer.shared()::uri);
	}

	@LocalServerPort
	int port;

	@Autowired
	EmbeddedKafkaBroker kafka;

	@Autowired
	MongoDatabaseFactory databases;

	RestClient http;

	@BeforeEach
	void client() {
		this.http = RestClient.builder()
			.baseUrl("http://localhost:" + this.port)
			.defaultStatusHandler((status) -> true, (request, response) -> {
			})
			.build();
	}

	@Test
	void storesAnUploadAndPutsAScaleZeroMessageOnTheTopic() {
		try (Consumer<String, String> consumer = consumer()) {
			consumer.subscribe(List.of(Topics.VIDEOS));

			ResponseEntity<String> response = upload("clip.mp4", SampleVideos.mp4());

			assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CREATED);
			JsonNode video = json.readTree(response.getBody());
			String id = video.get("id").asString();
			assertThat(response.getHeaders().getLocation()).hasToString("/v1/videos/" + id);
			Document stored = database().getCollection("videos").find(new Document("_id", new ObjectId(id))).first();
			assertThat(stored).isNotNull();
			assertThat(stored.getString("status")).isEqualTo("uploaded");
			assertThat(stored.get("size", Number.class).longValue()).isEqualTo(SampleVideos.mp4().length);
			assertThat(stored.get("variants", Map.class)).isEmpty();
			assertThat(stored.getString("url")).isEqualTo("http://localhost:10080/v1/videos/" + id + "/content");
			assertThat(stored).containsKeys("created_at", "updated_at");
			assertThat(stored).as("no Java class names in the database").doesNotContainKey("_class");

			ConsumerRecord<String, String> message = awaitRecord(consumer, id);
			assertThat(message.key()).isEqualTo(id);
			assertThat(json.readTree(message.value())).isEqualTo(
					json.readTree("{\"id\":\"%s\",\"url\":\"%s\",\"scale\":0}".formatted(id, stored.getString("url"))));
			assertThat(message.headers().toArray()).as("no Java type names on the wire").isEmpty();
		}
	}

	@Test
	void servesTheStoredBytesWholeAndByRange() {
		byte[] sample = SampleVideos.mp4();
		String id = idOf(upload("clip.mp4", sample));

		ResponseEntity<byte[]> whole = this.http.get()
			.uri("/v1/videos/{id}/content", id)
			.retrieve()
			.toEntity(byte[].class);
		assertThat(whole.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(whole.getHeaders().getContentType()).isEqualTo(MediaType.parseMediaType("video/mp4"));
		assertThat(whole.getBody()).isEqualTo(sample);

		ResponseEntity<byte[]> range = this.http.get()
			.uri("/v1/videos/{id}/content", id)
			.header(HttpHeaders.RANGE, "bytes=1000-1999")
			.retrieve()
			.toEntity(byte[].class);
		assertThat(range.getStatusCode()).isEqualTo(HttpStatus.PARTIAL_CONTENT);
		assertThat(range.getHeaders().getFirst(HttpHeaders.CONTENT_RANGE))
			.isEqualTo("bytes 1000-1999/" + sample.length);
		assertThat(range.getBody()).isEqualTo(Arrays.copyOfRange(sample, 1000, 2000));

		ResponseEntity<byte[]> unsatisfiable = this.http.get()
			.uri("/v1/videos/{id}/content", id)
			.header(HttpHeaders.RANGE, "bytes=" + sample.length + "-")
			.retrieve()
			.toEntity(byte[].class);
		assertThat(unsatisfiable.getStatusCode()).isEqualTo(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE);
	}

	@Test
	void listsVideosNewestFirst() {
		String older = idOf(upload("one.mp4", SampleVideos.mp4()));
		String newer = idOf(upload("two.mp4", SampleVideos.mp4()));

		JsonNode page = json.readTree(this.http.get().uri("/v1/videos?limit=2").retrieve().body(String.class));

		assertThat(page.get("videos").valueStream().map((video) -> video.get("id").asString())).containsExactly(newer,
				older);
		JsonNode second = json.readTree(this.http.get().uri("/v1/videos?limit=1&skip=1").retrieve().body(String.class));
		assertThat(second.get("videos").get(0).get("id").asString()).isEqualTo(older);
	}

	@Test
	void deletesTheDocumentAndItsBytes() {
		String id = idOf(upload("clip.mp4", SampleVideos.mp4()));
		assertThat(chunksOf(id)).isPositive();

		ResponseEntity<String> deleted = this.http.delete()
			.uri("/v1/videos/{id}", id)
			.retrieve()
			.toEntity(String.class);

		assertThat(deleted.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(deleted.getBody()).isEqualTo("{}");
		assertThat(database().getCollection("videos").countDocuments(new Document("_id", new ObjectId(id)))).isZero();
		assertThat(database().getCollection("fs.files").countDocuments(new Document("_id", new ObjectId(id)))).isZero();
		assertThat(chunksOf(id)).isZero();
		assertThat(this.http.get().uri("/v1/videos/{id}", id).retrieve().toBodilessEntity().getStatusCode())
			.isEqualTo(HttpStatus.NOT_FOUND);
	}

	@Test
	void refusesAnUploadOverTheLimitWithNothingStored() {
		long before = database().getCollection("videos").countDocuments();
		byte[] tooLarge = Arrays.copyOf(SampleVideos.mp4(), 300 * 1024);

		ResponseEntity<String> response = upload("huge.mp4", tooLarge);

		assertThat(response.getStatusCode().value()).isEqualTo(413);
		assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(json.readTree(response.getBody()).get("status").asInt()).isEqualTo(413);
		assertThat(database().getCollection("videos").countDocuments()).isEqualTo(before);
	}

	@Test
	void refusesBytesThatAreNotAVideoWithNothingStored() {
		long videos = database().getCollection("videos").countDocuments();
		long files = database().getCollection("fs.files").countDocuments();
		long chunks = database().getCollection("fs.chunks").countDocuments();

		ResponseEntity<String> response = upload("movie.mp4", "MZ this is really an executable".getBytes());

		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
		assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(database().getCollection("videos").countDocuments()).isEqualTo(videos);
		assertThat(database().getCollection("fs.files").countDocuments()).isEqualTo(files);
		assertThat(database().getCollection("fs.chunks").countDocuments()).isEqualTo(chunks);
	}

	private ResponseEntity<String> upload(String filename, byte[] content) {
		MultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
		parts.add("file", new ByteArrayResource(content) {
			@Override
			public String getFilename() {
				return filename;
			}
		});
		return this.http.post()
			.uri("/v1/videos")
			.contentType(MediaType.MULTIPART_FORM_DATA)
			.body(parts)
			.retrieve()
			.toEntity(String.class);
	}

	private static ConsumerRecord<String, String> awaitRecord(Consumer<String, String> consumer, String key) {
		List<ConsumerRecord<String, String>> seen = new ArrayList<>();
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
			consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
			assertThat(seen).extracting(ConsumerRecord::key).contains(key);
		});
		return seen.stream().filter((record) -> key.equals(record.key())).findFirst().orElseThrow();
	}

	private static String idOf(ResponseEntity<String> response) {
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		return json.readTree(response.getBody()).get("id").asString();
	}

	private long chunksOf(String id) {
		return database().getCollection("fs.chunks").countDocuments(new Document("files_id", new ObjectId(id)));
	}

	private MongoDatabase database() {
		return this.databases.getMongoDatabase();
	}

	private Consumer<String, String> consumer() {
		Map<String, Object> properties = KafkaTestUtils.consumerProps(this.kafka, "api-test-" + new ObjectId(), false);
		return new DefaultKafkaConsumerFactory<>(properties, new StringDeserializer(), new StringDeserializer())
			.createConsumer();
	}

}
