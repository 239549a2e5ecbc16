package dev.labkafka.api;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import dev.labkafka.api.VideoApiApplication;
import dev.labkafka.testsupport.EmbeddedInfrastructure;
import dev.labkafka.testsupport.LenientHttp;
import dev.labkafka.testsupport.StoredVideos;
import dev.labkafka.testsupport.TestKafka;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeEach;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API over real HTTP, on a real Kafka broker and a MongoDB-wire server: the setup and
 * helpers its integration tests share (one Spring context for all of them). The upload
 * limit is 1 MB, so that an upload over it writes GridFS chunks before it is refused.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { VideoApiApplication.CONFIG_NAME, "video.api.upload.max-file-size=1MB",
				"video.api.stuck.check-interval=500ms" })
@EmbeddedInfrastructure
public abstract class ApiIntegrationTests {

	protected static final JsonMapper json = JsonMapper.builder().build();

	/** The upload limit of these tests. */
	protected static final int MAX_FILE_SIZE = 1024 * 1024;

	@LocalServerPort
	protected int port;

	/** Where the application's Kafka is: the embedded broker, or a container's. */
	@Autowired
	protected KafkaConnectionDetails kafkaConnection;

	@Autowired
	protected MongoDatabaseFactory databases;

	protected RestClient http;

	protected TestKafka kafka;

	protected StoredVideos videos;

	@BeforeEach
	void clients() {
		this.http = LenientHttp.client("http://localhost:" + this.port);
		this.kafka = new TestKafka(String.join(",", this.kafkaConnection.getBootstrapServers()));
		this.videos = new StoredVideos(database());
	}

	protected ResponseEntity<String> upload(String filename, byte[] content) {
		return LenientHttp.upload(this.http, filename, content);
	}

	protected static String idOf(ResponseEntity<String> response) {
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		return json.readTree(response.getBody()).get("id").asString();
	}

	protected MongoCollection<Document> videosCollection() {
		return database().getCollection("videos");
	}

	protected long chunksOf(String id) {
		return database().getCollection("fs.chunks").countDocuments(new Document("files_id", new ObjectId(id)));
	}

	/** Documents in the videos collection and GridFS's two collections. */
	protected long[] storedCounts() {
		return new long[] { videosCollection().countDocuments(), database().getCollection("fs.files").countDocuments(),
				database().getCollection("fs.chunks").countDocuments() };
	}

	protected MongoDatabase database() {
		return this.databases.getMongoDatabase();
	}

}
