package dev.labkafka.api.events;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.labkafka.api.VideoApiApplication;
import dev.labkafka.api.events.EventStreamClient.Event;
import dev.labkafka.messages.Topics;
import dev.labkafka.testsupport.Instances;
import dev.labkafka.testsupport.MongoWireServer;
import dev.labkafka.testsupport.TestBrokers;
import dev.labkafka.testsupport.MultipartBody;
import dev.labkafka.testsupport.SampleVideos;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.kafka.test.utils.ContainerTestUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The live events, with two API instances on one Kafka broker and one MongoDB-wire
 * server, as behind a load balancer: a change told on the progress topic (as the worker
 * tells it: plain JSON) reaches the clients of both; an upload on one reaches the clients
 * of the other; a reconnect with {@code Last-Event-ID} loses no change; the streams are
 * bounded and end when their instance shuts down.
 */
@TestInstance(Lifecycle.PER_CLASS)
class VideoEventsIntegrationTests {

	static final JsonMapper json = JsonMapper.builder().build();

	static final Duration WAIT = Duration.ofSeconds(15);

	EmbeddedKafkaKraftBroker kafka;

	Instances instances;

	ConfigurableApplicationContext first;

	ConfigurableApplicationContext second;

	KafkaProducer<String, String> worker;

	MongoClient mongo;

	MongoCollection<Document> videos;

	final HttpClient http = HttpClient.newHttpClient();

	@BeforeAll
	void startTwoInstances() {
		this.kafka = TestBrokers.start(Topics.PROGRESS);
		this.instances = new Instances(VideoApiApplication::application, this.kafka.getBrokersAsString(),
				"--video.api.browser-port=-1", "--spring.lifecycle.timeout-per-shutdown-phase=30s");
		this.first = start("--video.api.events.heartbeat=300ms");
		this.second = start("--video.api.events.max-streams=3", "--video.api.events.heartbeat=500ms");
		this.worker = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, this.kafka.getBrokersAsString()),
				new StringSerializer(), new StringSerializer());
		this.mongo = MongoClients.create(MongoWireServer.shared().uri());
		this.videos = this.mongo.getDatabase(MongoWireServer.DATABASE).getCollection("videos");
	}

	ConfigurableApplicationContext start(String... more) {
		ConfigurableApplicationContext context = this.instances.start(more);
		ContainerTestUtils.waitForAssignment(
				context.getBean(KafkaListenerEndpointRegistry.class).getListenerContainer(ProgressListener.ID), 1);
		return context;
	}

	@AfterAll
	void stop() {
		this.worker.close();
		this.mongo.close();
		this.instances.close();
		this.kafka.destroy();
	}

	@Test
	void aChangeToldOnTheProgressTopicReachesTheClientsOfEveryInstance() throws Exception {
		String id = upload(this.first);
		try (EventStreamClient allOnFirst = EventStreamClient.open(uri(this.first, "/v1/videos/events"), null);
				EventStreamClient oneOnSecond = EventStreamClient.open(uri(this.second, "/v1/videos/" + id + "/events"),
						null)) {
			assertThat(oneOnSecond.status()).isEqualTo(200);
			assertThat(oneOnSecond.response().headers().firstValue("Content-Type"))
				.hasValueSatisfying((type) -> assertThat(type).startsWith("text/event-stream"));
			Event initial = oneOnSecond.next(WAIT);
			assertThat(initial).as("its state at once").isNotNull();
			assertThat(data(initial).get("id").asString()).isEqualTo(id);

			Instant changed = Instant.now();
			this.videos.updateOne(Filters.eq("_id", new ObjectId(id)),
					Updates.combine(Updates.set("status", "encoding"),
							Updates.set("variants.360", "http://localhost/x"), Updates.set("updated_at", changed)));
			this.worker.send(new ProducerRecord<>(Topics.PROGRESS, id,
					"{\"id\":\"" + id + "\",\"change\":\"rendition\",\"scale\":360}"));

			assertThat(noOffsetsCommitted()).as("the instances' groups commit nothing").isTrue();
			for (EventStreamClient client : new EventStreamClient[] { allOnFirst, oneOnSecond }) {
				Event event = client.next((e) -> e.name().equals("video") && id.equals(data(e).path("id").asString())
						&& data(e).get("status").asString().equals("encoding"), WAIT);
				assertThat(data(event).get("variants").get("360").asString()).isEqualTo("http://localhost/x");
				assertThat(event.id()).isEqualTo(Long.toString(changed.toEpochMilli()));
			}
			assertThat(noOffsetsCommitted()).as("the instances' groups commit nothing").isTrue();
		}
	}

	@Test
	void aSegmentStoredReachesTheClientsWithTheRenditionsProgress() throws Exception {
		String id = upload(this.first);
		ObjectId video = new ObjectId(id);
		Instant encoding = Instant.now();
		this.videos.updateOne(Filters.eq("_id", video),
				Updates.combine(Updates.set("status", "encoding"),
						Updates.set("segments.1080", new Document("planned", 18).append("done", List.of(0, 1))),
						Updates.set("updated_at", encoding)));
		// Both on the second instance: the first's streams are counted by another test.
		try (EventStreamClient all = EventStreamClient.open(uri(this.second, "/v1/videos/events"), null);
				EventStreamClient one = EventStreamClient.open(uri(this.second, "/v1/videos/" + id + "/events"),
						null)) {
			Event initial = one.next(WAIT);
			assertThat(data(initial).get("segments").get("1080").get("done").asInt()).isEqualTo(2);
			await().atMost(WAIT).until(() -> all.comments().contains(VideoEvents.OPENED));

			// Five more segments stored: only the progress moved on, nothing else of the
			// video (not its status, not its variants, not even updated_at).
			this.videos.updateOne(Filters.eq("_id", video),
					Updates.addEachToSet("segments.1080.done", List.of(2, 3, 4, 5, 6)));
			this.worker.send(new ProducerRecord<>(Topics.PROGRESS, id,
					"{\"id\":\"" + id + "\",\"change\":\"segment\",\"scale\":1080}"));

			for (EventStreamClient client : new EventStreamClient[] { all, one }) {
				Event event = client.next((e) -> e.name().equals("video") && id.equals(data(e).path("id").asString())
						&& data(e).path("segments").path("1080").path("done").asInt() == 7, WAIT);
				JsonNode progress = data(event).get("segments").get("1080");
				assertThat(progress.get("planned").asInt()).isEqualTo(18);
				assertThat(progress.get("percent").asInt()).isEqualTo(38);
				assertThat(progress.has("done") && progress.get("done").isNumber()).as("a count, not the indexes")
					.isTrue();
				assertThat(data(event).get("status").asString()).isEqualTo("encoding");
			}
		}
	}

	private boolean noOffsetsCommitted() throws Exception {
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", this.kafka.getBrokersAsString()))) {
			for (ConfigurableApplicationContext instance : new ConfigurableApplicationContext[] { this.first,
					this.second }) {
				String group = instance.getBean(KafkaListenerEndpointRegistry.class)
					.getListenerContainer(ProgressListener.ID)
					.getGroupId();
				assertThat(group).startsWith(Topics.PROGRESS_GROUP_PREFIX);
				if (!admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().isEmpty()) {
					return false;
				}
			}
			return true;
		}
	}

	@Test
	void anUploadOnOneInstanceReachesTheClientsOfTheOtherAndSoDoesItsDeletion() throws Exception {
		try (EventStreamClient allOnSecond = EventStreamClient.open(uri(this.second, "/v1/videos/events"), null)) {
			String id = upload(this.first);
			Event uploaded = allOnSecond
				.next((e) -> e.name().equals("video") && id.equals(data(e).path("id").asString()), WAIT);
			assertThat(data(uploaded).get("filename").asString()).isEqualTo("live.mp4");

			HttpResponse<String> deleted = this.http.send(
					HttpRequest.newBuilder(uri(this.first, "/v1/videos/" + id)).DELETE().build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(deleted.statusCode()).isEqualTo(200);
			Event gone = allOnSecond.next((e) -> e.name().equals("deleted"), WAIT);
			assertThat(data(gone).get("id").asString()).isEqualTo(id);
		}
	}

	@Test
	void aClientThatReconnectsWithItsLastEventIdGetsWhatChangedMeanwhile() throws Exception {
		String id = upload(this.first);
		String lastEventId;
		try (EventStreamClient one = EventStreamClient.open(uri(this.first, "/v1/videos/" + id + "/events"), null)) {
			lastEventId = one.next(WAIT).id();
		}
		assertThat(lastEventId).isNotNull();
		try (EventStreamClient unchanged = EventStreamClient.open(uri(this.first, "/v1/videos/" + id + "/events"),
				Long.toString(Long.parseLong(lastEventId) + 1))) {
			assertThat(unchanged.next(Duration.ofMillis(700))).as("nothing new since its last event").isNull();
		}

		// Changed while the client was away, and nobody told the instances. Dated well
		// after
		// the client's last event, and the list's client last saw an event just before
		// it:
		// its replay reaches back 5 s only, past what the suite's other tests changed
		// (more
		// than a replay sends would make it a "reload").
		long changedAt = Long.parseLong(lastEventId) + 20_000;
		this.videos.updateOne(Filters.eq("_id", new ObjectId(id)), Updates.combine(Updates.set("status", "failed"),
				Updates.set("error", "went wrong"), Updates.set("updated_at", Instant.ofEpochMilli(changedAt))));

		try (EventStreamClient one = EventStreamClient.open(uri(this.second, "/v1/videos/" + id + "/events"),
				lastEventId);
				EventStreamClient all = EventStreamClient.open(uri(this.second, "/v1/videos/events"),
						Long.toString(changedAt - 1))) {
			assertThat(data(one.next(WAIT)).get("error").asString()).isEqualTo("went wrong");
			Event replayed = all.next((e) -> e.name().equals("video") && id.equals(data(e).path("id").asString()),
					WAIT);
			assertThat(data(replayed).get("status").asString()).isEqualTo("failed");
		}
	}

	@Test
	void aFinalVideoGetsItsFinalEventAtOnceAndIdleStreamsGetHeartbeats() throws Exception {
		String id = upload(this.first);
		this.videos.updateOne(Filters.eq("_id", new ObjectId(id)),
				Updates.combine(Updates.set("status", "success"), Updates.set("updated_at", Instant.now())));
		try (EventStreamClient one = EventStreamClient.open(uri(this.first, "/v1/videos/" + id + "/events"), null)) {
			Event event = one.next(Duration.ofSeconds(2));
			assertThat(event).isNotNull();
			assertThat(data(event).get("status").asString()).isEqualTo("success");
			await().atMost(Duration.ofSeconds(5)).until(() -> one.comments().contains("heartbeat"));
		}
	}

	@Test
	void refusesUnknownVideosAndBadLastEventIdsWithProblems() throws Exception {
		HttpResponse<String> unknown = get(this.first, "/v1/videos/" + new ObjectId() + "/events", null);
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		for (String lastEventId : new String[] { "yesterday", "-1", "-9223372036854775808" }) {
			HttpResponse<String> badId = get(this.first, "/v1/videos/events", lastEventId);
			assertThat(badId.statusCode()).as(lastEventId).isEqualTo(400);
			assertThat(badId.body()).contains("Invalid Last-Event-ID");
		}
		HttpResponse<String> json = this.http.send(HttpRequest.newBuilder(uri(this.first, "/v1/videos/events"))
			.header("Accept", "application/json")
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(json.statusCode()).as("events are text/event-stream only").isEqualTo(406);
		assertThat(json.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(this.first.getBean(VideoEvents.class).openStreams()).as("refused streams hold no place").isZero();
	}

	@Test
	void refusesAStreamOverItsCapWith503() throws Exception {
		VideoEvents events = this.second.getBean(VideoEvents.class);
		await().atMost(WAIT).until(() -> events.openStreams() == 0);
		for (int i = 0; i < 3; i++) {
			HttpResponse<Void> head = this.http
				.sendAsync(HttpRequest.newBuilder(uri(this.second, "/v1/videos/events"))
					.method("HEAD", HttpRequest.BodyPublishers.noBody())
					.build(), HttpResponse.BodyHandlers.discarding())
				.get(10, TimeUnit.SECONDS);
			assertThat(head.statusCode()).isEqualTo(200);
			assertThat(head.headers().firstValue("Content-Type"))
				.hasValueSatisfying((type) -> assertThat(type).startsWith("text/event-stream"));
		}
		assertThat(events.openStreams()).as("a HEAD request opens no stream").isZero();
		EventStreamClient[] open = new EventStreamClient[3];
		try {
			for (int i = 0; i < open.length; i++) {
				open[i] = EventStreamClient.open(uri(this.second, "/v1/videos/events"), null);
			}
			HttpResponse<String> refused = get(this.second, "/v1/videos/events", null);
			assertThat(refused.statusCode()).isEqualTo(503);
			assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat(refused.headers().firstValue("Retry-After")).isPresent();
		}
		finally {
			for (EventStreamClient client : open) {
				if (client != null) {
					client.close();
				}
			}
		}
		// Streams whose clients went away free their places: the heartbeat finds them.
		await().atMost(WAIT).until(() -> events.openStreams() == 0);
		try (EventStreamClient again = EventStreamClient.open(uri(this.second, "/v1/videos/events"), null)) {
			assertThat(again.status()).isEqualTo(200);
		}
	}

	@Test
	void aGracefulShutdownEndsTheOpenStreamsInsteadOfWaitingForThem() throws Exception {
		ConfigurableApplicationContext third = start();
		String id = upload(third);
		long opening = System.nanoTime();
		try (EventStreamClient one = EventStreamClient.open(uri(third, "/v1/videos/" + id + "/events"), null);
				EventStreamClient all = EventStreamClient.open(uri(third, "/v1/videos/events"), null)) {
			assertThat(Duration.ofNanos(System.nanoTime() - opening))
				.as("the streams' heads come at once, not with a heartbeat 15 s later")
				.isLessThan(Duration.ofSeconds(10));
			assertThat(one.next(WAIT)).isNotNull();
			await().atMost(Duration.ofSeconds(5)).until(() -> all.comments().contains(VideoEvents.OPENED));
			long started = System.nanoTime();
			CompletableFuture.runAsync(third::close).get(20, TimeUnit.SECONDS);
			assertThat(Duration.ofNanos(System.nanoTime() - started)).as("not the 30 s a shutdown phase may take")
				.isLessThan(Duration.ofSeconds(20));
			await().atMost(Duration.ofSeconds(5)).until(() -> one.ended() && all.ended());
		}
	}

	private String upload(ConfigurableApplicationContext instance) throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri(instance, "/v1/videos"))
			.header("Content-Type", MultipartBody.CONTENT_TYPE)
			.POST(HttpRequest.BodyPublishers.ofByteArray(MultipartBody.file("live.mp4", SampleVideos.mp4())))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(201);
		return json.readTree(response.body()).get("id").asString();
	}

	/** A request for a stream that is refused: its whole answer. */
	private HttpResponse<String> get(ConfigurableApplicationContext instance, String path, @Nullable String lastEventId)
			throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(instance, path)).header("Accept", "text/event-stream");
		if (lastEventId != null) {
			request.header("Last-Event-ID", lastEventId);
		}
		// A stream that was not refused never ends: this fails after a while.
		return this.http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).get(10, TimeUnit.SECONDS);
	}

	private static URI uri(ConfigurableApplicationContext instance, String path) {
		String port = instance.getEnvironment().getProperty("local.server.port");
		return URI.create("http://localhost:" + port + path);
	}

	private static JsonNode data(Event event) {
		return json.readTree(event.data());
	}

}
