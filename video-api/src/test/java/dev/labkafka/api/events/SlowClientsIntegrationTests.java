package dev.labkafka.api.events;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.labkafka.api.VideoApiApplication;
import dev.labkafka.messages.Topics;
import dev.labkafka.testsupport.EmbeddedInfrastructure;
import dev.labkafka.testsupport.LenientHttp;
import dev.labkafka.testsupport.SampleVideos;
import dev.labkafka.testsupport.StoredVideos;
import dev.labkafka.videos.VideoFields;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients whose connections stall (raw sockets with a tiny receive buffer that read
 * nothing) beside one that reads: the reading client is told of every upload within 2 s
 * while the stalled ones' writes are blocked, and a stalled client whose buffer fills is
 * disconnected. Each event here is large (an error of 20 KB), so that a few hundred of
 * them are more than the kernel holds for a client that does not read.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { VideoApiApplication.CONFIG_NAME, "video.api.events.buffer=400",
				"video.api.events.heartbeat=1h" })
@EmbeddedInfrastructure
class SlowClientsIntegrationTests {

	static final JsonMapper json = JsonMapper.builder().build();

	/** The stalled clients. */
	static final int STALLED = 4;

	/**
	 * Changes enough to fill what the kernel holds for each stalled client (at most 4 MB
	 * here, some 200 of these events), and fewer than its buffer beyond that.
	 */
	static final int FILLING = 300;

	/** Changes that make the stalled clients fall behind by more than their buffer. */
	static final int OVERFLOWING = 600;

	static final Duration WITHIN = Duration.ofSeconds(2);

	@LocalServerPort
	int port;

	@Autowired
	KafkaConnectionDetails kafkaConnection;

	@Autowired
	MongoDatabaseFactory databases;

	@Autowired
	KafkaListenerEndpointRegistry listeners;

	@Autowired
	MeterRegistry metrics;

	final List<Socket> stalled = new ArrayList<>();

	@AfterEach
	void closeStalled() throws IOException {
		for (Socket socket : this.stalled) {
			socket.close();
		}
	}

	@Test
	void aClientThatStopsReadingHoldsUpNoOtherAndIsDisconnectedOnceItsBufferIsFull() throws Exception {
		awaitListening();
		StoredVideos videos = new StoredVideos(this.databases.getMongoDatabase());
		// The first upload of the instance pays for the first sends of its kind: not
		// measured.
		RestClient http = LenientHttp.client("http://localhost:" + this.port);
		LenientHttp.upload(http, "clip.mp4", SampleVideos.mp4());
		for (int i = 0; i < STALLED; i++) {
			this.stalled.add(stalledClient());
		}
		try (EventStreamClient reader = EventStreamClient
			.open(URI.create("http://localhost:" + this.port + "/v1/videos/events"), null);
				KafkaProducer<String, String> worker = producer()) {
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(openStreams()).isEqualTo(STALLED + 1));

			awaitAll(reader, flood(worker, videos, FILLING), Duration.ofSeconds(60));
			assertThat(openStreams()).as("the stalled clients are behind, not out").isEqualTo(STALLED + 1);

			for (int i = 0; i < 5; i++) {
				ResponseEntity<String> upload = LenientHttp.upload(http, "clip.mp4", SampleVideos.mp4());
				Instant stored = Instant.now();
				String id = json.readTree(upload.getBody()).get("id").asString();
				reader.next((event) -> event.data().contains(id), WITHIN);
				assertThat(Duration.between(stored, Instant.now())).isLessThan(WITHIN);
			}

			flood(worker, videos, OVERFLOWING);
			await().atMost(Duration.ofSeconds(60))
				.untilAsserted(() -> assertThat(openStreams()).as("the stalled clients are disconnected").isOne());
			assertThat(reader.ended()).as("the reading client keeps its stream").isFalse();
		}
	}

	/**
	 * Stores {@code count} videos with a long error, each told as the worker tells a
	 * change: each is a state of its own, so each is sent to every client.
	 * @return their ids
	 */
	private static Set<String> flood(KafkaProducer<String, String> worker, StoredVideos videos, int count) {
		Set<String> ids = new HashSet<>();
		for (int i = 0; i < count; i++) {
			String id = videos.insertUploaded();
			videos.set(id, new Document(VideoFields.ERROR, "e".repeat(20_000)));
			worker.send(new ProducerRecord<>(Topics.PROGRESS, id, "{\"id\":\"" + id + "\",\"change\":\"status\"}"));
			ids.add(id);
		}
		worker.flush();
		return ids;
	}

	/** Reads events until one of each of {@code states} came. */
	private static void awaitAll(EventStreamClient reader, Set<String> states, Duration timeout)
			throws InterruptedException {
		Set<String> missing = new HashSet<>(states);
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!missing.isEmpty() && System.nanoTime() < deadline) {
			EventStreamClient.Event event = reader.next(Duration.ofMillis(200));
			if (event != null) {
				missing.removeIf(event.data()::contains);
			}
		}
		assertThat(missing).as("states not told within %s", timeout).isEmpty();
	}

	/** A client that asks for the events and never reads them. */
	private Socket stalledClient() throws IOException {
		Socket socket = new Socket();
		socket.setReceiveBufferSize(1024);
		socket.connect(new InetSocketAddress("127.0.0.1", this.port));
		OutputStream out = socket.getOutputStream();
		out.write(("GET /v1/videos/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII));
		out.flush();
		return socket;
	}

	private double openStreams() {
		return this.metrics.get("videos.event.streams").gauge().value();
	}

	private void awaitListening() {
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.listeners.getListenerContainer(ProgressListener.ID).isRunning());
		await().atMost(Duration.ofSeconds(30))
			.until(() -> !this.listeners.getListenerContainer(ProgressListener.ID).getAssignedPartitions().isEmpty());
	}

	private KafkaProducer<String, String> producer() {
		return new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
						String.join(",", this.kafkaConnection.getBootstrapServers())),
				new StringSerializer(), new StringSerializer());
	}

}
