package dev.labkafka.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.labkafka.messages.Topics;
import dev.labkafka.processes.LocalPipeline;
import dev.labkafka.processes.PipelineClient;
import dev.labkafka.testsupport.MultipartBody;
import dev.labkafka.testsupport.SampleVideos;
import dev.labkafka.videos.VideoStatus;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The pipeline's promises under faults, with real processes: a poison message, the broker
 * stopped during a burst of uploads, the worker killed mid-transcode, the database
 * restarted while renditions run. Every scenario ends with every video complete, and
 * reports what it measured in {@code target/fault-report.md}.
 */
@TestInstance(Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
class FaultTests {

	/**
	 * Rendition consumers per worker: at most this many renditions are in flight at a
	 * kill.
	 */
	static final int CONCURRENCY = 4;

	static final String WORKER = "stream";

	private static final Pattern TRANSCODED = Pattern.compile("Video (\\w{24}): transcoded rendition (\\d+)");

	/** The processes' data and logs, kept for a look after a failure. */
	final Path directory = Path.of("target", "pipeline-" + System.currentTimeMillis()).toAbsolutePath();

	LocalPipeline pipeline;

	PipelineClient api;

	final Map<String, String> report = new LinkedHashMap<>();

	@BeforeAll
	void startThePipeline() {
		this.pipeline = new LocalPipeline(Path.of(System.getProperty("pipeline.root", "..")), this.directory);
		this.pipeline.startInfrastructure();
		startApi();
		startWorker();
		this.api = new PipelineClient(this.pipeline.apiUrl());
	}

	private void startApi() {
		this.pipeline.startApi("-Xmx256m", "--video.api.outbox.interval=500ms");
	}

	/**
	 * A worker with 1 s renditions, whose killed transactions the broker aborts in 10 s.
	 */
	private void startWorker() {
		this.pipeline.startWorker(WORKER, "-Xmx256m", "--video.stream.transcode-time=1s",
				"--spring.kafka.producer.properties.transaction.timeout.ms=10000");
	}

	@AfterAll
	void stopThePipelineAndWriteTheReport() throws IOException {
		if (this.pipeline != null) {
			this.pipeline.close();
		}
		StringBuilder markdown = new StringBuilder("| Scenario | Result |\n| --- | --- |\n");
		this.report.forEach((scenario,
				result) -> markdown.append("| ").append(scenario).append(" | ").append(result).append(" |\n"));
		Files.createDirectories(Path.of("target"));
		Files.writeString(Path.of("target", "fault-report.md"), markdown);
		System.out.println("Fault report:\n" + markdown);
	}

	@Test
	@Order(1)
	void poisonMessagesGoToTheDeadLetterTopicsAndTheNextVideoCompletesOnTime() throws Exception {
		List<String> poison = List.of("{this is not json", "{\"id\":\"nope\",\"url\":\"http://x\",\"scale\":0}");
		String badScale = "{\"id\":\"65a1b2c3d4e5f6a7b8c9d0e1\",\"url\":\"http://x\",\"scale\":123}";
		try (KafkaProducer<String, String> producer = producer()) {
			for (String value : poison) {
				producer.send(new ProducerRecord<>(Topics.VIDEOS, "poison", value)).get();
			}
			producer.send(new ProducerRecord<>(Topics.RENDITIONS, "poison", badScale)).get();
		}

		long started = System.nanoTime();
		String id = upload();
		await().atMost(Duration.ofSeconds(30)).until(() -> succeeded(List.of(id)) == 1);
		Duration completedIn = Duration.ofNanos(System.nanoTime() - started);

		assertThat(completedIn).as("four 1 s renditions in parallel, after the poison")
			.isLessThan(Duration.ofSeconds(10));
		assertThat(deadLetters(Topics.deadLetters(Topics.VIDEOS))).containsAll(poison);
		assertThat(deadLetters(Topics.deadLetters(Topics.RENDITIONS))).contains(badScale);
		this.report.put("Poison messages (malformed JSON, bad id, bad scale)",
				"3 of 3 dead-lettered; the next video completed in %.1f s (transcode 1 s)"
					.formatted(seconds(completedIn)));
	}

	@Test
	@Order(2)
	void theBrokerStoppedDuringABurstOfUploadsLosesNothing() throws Exception {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			ids.add(upload());
		}
		this.pipeline.stop(LocalPipeline.KAFKA);
		Duration slowestAnswer = Duration.ZERO;
		for (int i = 0; i < 5; i++) {
			long started = System.nanoTime();
			ids.add(upload());
			Duration answer = Duration.ofNanos(System.nanoTime() - started);
			slowestAnswer = (answer.compareTo(slowestAnswer) > 0) ? answer : slowestAnswer;
		}
		this.pipeline.startKafka();
		long restarted = System.nanoTime();

		await().atMost(Duration.ofMinutes(3)).until(() -> succeeded(ids) == ids.size());
		Duration recovery = Duration.ofNanos(System.nanoTime() - restarted);

		assertThat(slowestAnswer).as("uploads answered while Kafka is down").isLessThan(Duration.ofSeconds(10));
		this.report.put("Broker stopped (SIGTERM) after 5 of 10 uploads, restarted after the other 5",
				"%d of %d videos completed; uploads while it was down answered (201) in at most %d ms; all done %.1f s after the broker restarted"
					.formatted(succeeded(ids), ids.size(), slowestAnswer.toMillis(), seconds(recovery)));
	}

	@Test
	@Order(3)
	void aWorkerKilledMidTranscodeRedoesOnlyWhatWasInFlight() throws Exception {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			ids.add(upload());
		}
		await().atMost(Duration.ofSeconds(60)).until(() -> variants(ids) >= CONCURRENCY);
		this.pipeline.kill(WORKER);
		startWorker();
		long restarted = System.nanoTime();

		await().atMost(Duration.ofMinutes(3)).until(() -> succeeded(ids) == ids.size());
		Duration recovery = Duration.ofNanos(System.nanoTime() - restarted);

		long redone = redone(ids);
		assertThat(redone).as("only renditions in flight at the kill are made again").isLessThanOrEqualTo(CONCURRENCY);
		this.report.put("Worker killed (SIGKILL) mid-transcode with 6 videos queued, then restarted",
				"%d of %d videos completed; %d of 24 renditions made twice (at most %d were in flight); all done %.1f s after the restart"
					.formatted(succeeded(ids), ids.size(), redone, CONCURRENCY, seconds(recovery)));
	}

	@Test
	@Order(4)
	void aWorkerStoppedMidTranscodeFinishesTheRenditionsInHand() throws Exception {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			ids.add(upload());
		}
		await().atMost(Duration.ofSeconds(60)).until(() -> variants(ids) >= CONCURRENCY);
		int madeBeforeTheStop = total(transcodes());
		this.pipeline.stop(WORKER);
		int madeByTheStoppedWorker = total(transcodes());
		startWorker();
		long restarted = System.nanoTime();

		await().atMost(Duration.ofMinutes(3)).until(() -> succeeded(ids) == ids.size());
		Duration recovery = Duration.ofNanos(System.nanoTime() - restarted);

		assertThat(madeByTheStoppedWorker).as("renditions in hand at SIGTERM are finished")
			.isGreaterThan(madeBeforeTheStop);
		long redone = redone(ids);
		assertThat(redone).as("nothing is made twice after a clean stop").isZero();
		this.report.put("Worker stopped (SIGTERM) mid-transcode with 4 videos queued, then restarted",
				"%d of %d videos completed; %d renditions finished during the stop; %d made twice; all done %.1f s after the restart"
					.formatted(succeeded(ids), ids.size(), madeByTheStoppedWorker - madeBeforeTheStop, redone,
							seconds(recovery)));
	}

	@Test
	@Order(5)
	void anApiStoppedMidUploadFinishesTheUpload() throws Exception {
		String id;
		try (SlowUpload upload = new SlowUpload(this.pipeline.apiPort())) {
			this.pipeline.stopAsync(LocalPipeline.API);
			this.pipeline.awaitLog(LocalPipeline.API, "Commencing graceful shutdown");

			id = upload.finish();
		}
		this.pipeline.awaitStopped(LocalPipeline.API);
		startApi();

		await().atMost(Duration.ofSeconds(60)).until(() -> succeeded(List.of(id)) == 1);
		this.report.put("API stopped (SIGTERM) in the middle of an upload",
				"the upload finished with 201 and its video completed after the API was started again");
	}

	@Test
	@Order(6)
	void theDatabaseRestartedWhileRenditionsRunLosesNothing() throws Exception {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			ids.add(upload());
		}
		await().atMost(Duration.ofSeconds(60)).until(() -> variants(ids) >= 2);
		this.pipeline.stop(LocalPipeline.MONGO);
		this.pipeline.startMongo();
		long restarted = System.nanoTime();

		await().atMost(Duration.ofMinutes(4)).until(() -> succeeded(ids) == ids.size());
		Duration recovery = Duration.ofNanos(System.nanoTime() - restarted);

		this.report.put("MongoDB-wire server restarted (SIGTERM) while 4 videos were encoding",
				"%d of %d videos completed; all done %.1f s after the restart".formatted(succeeded(ids), ids.size(),
						seconds(recovery)));
	}

	private String upload() {
		return this.api.upload("clip.mp4", SampleVideos.mp4());
	}

	/** How many of these videos have status {@code success}. */
	private long succeeded(List<String> ids) {
		return ids.stream().filter((id) -> VideoStatus.SUCCESS.word().equals(this.api.status(id))).count();
	}

	/** How many renditions have been recorded across these videos. */
	private long variants(List<String> ids) {
		return ids.stream()
			.map(this.api::video)
			.filter(Objects::nonNull)
			.mapToLong((video) -> video.get("variants").size())
			.sum();
	}

	/**
	 * How often each rendition was transcoded, over every worker this pipeline ran, keyed
	 * {@code <id>:<scale>}.
	 */
	private Map<String, Integer> transcodes() throws IOException {
		Map<String, Integer> counts = new HashMap<>();
		for (Path log : this.pipeline.logs(WORKER)) {
			Matcher matcher = TRANSCODED.matcher(Files.readString(log));
			while (matcher.find()) {
				counts.merge(matcher.group(1) + ":" + matcher.group(2), 1, Integer::sum);
			}
		}
		return counts;
	}

	@Test
	@Order(7)
	void anUploadWhileTheDatabaseIsDownIsAnswered503Promptly() throws Exception {
		this.pipeline.stop(LocalPipeline.MONGO);
		long started = System.nanoTime();
		HttpResponse<String> refused = rawUpload();
		Duration answeredIn = Duration.ofNanos(System.nanoTime() - started);
		this.pipeline.startMongo();

		assertThat(refused.statusCode()).isEqualTo(503);
		assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(answeredIn).as("the API's 3 s database timeout").isLessThan(Duration.ofSeconds(6));
		String id = upload();
		await().atMost(Duration.ofSeconds(60)).until(() -> succeeded(List.of(id)) == 1);
		this.report.put("MongoDB-wire server stopped (SIGTERM), then an upload",
				"answered 503 (problem+json) in %d ms; after the restart the next upload completed"
					.formatted(answeredIn.toMillis()));
	}

	private HttpResponse<String> rawUpload() throws IOException, InterruptedException {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(this.pipeline.apiUrl() + "/v1/videos"))
				.header("Content-Type", MultipartBody.CONTENT_TYPE)
				.POST(HttpRequest.BodyPublishers.ofByteArray(MultipartBody.file("clip.mp4", SampleVideos.mp4())))
				.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** How many renditions of these videos were transcoded more than once. */
	private long redone(List<String> ids) throws IOException {
		Map<String, Integer> transcodes = transcodes();
		return ids.stream()
			.flatMap((id) -> List.of(360, 480, 720, 1080).stream().map((scale) -> id + ":" + scale))
			.filter((rendition) -> transcodes.getOrDefault(rendition, 0) > 1)
			.count();
	}

	private static int total(Map<String, Integer> transcodes) {
		return transcodes.values().stream().mapToInt(Integer::intValue).sum();
	}

	private KafkaProducer<String, String> producer() {
		return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, this.pipeline.bootstrapServers()),
				new StringSerializer(), new StringSerializer());
	}

	private List<String> deadLetters(String topic) {
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, this.pipeline.bootstrapServers(),
						ConsumerConfig.GROUP_ID_CONFIG, UUID.randomUUID().toString(),
						ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ISOLATION_LEVEL_CONFIG,
						"read_committed"),
				new StringDeserializer(), new StringDeserializer())) {
			consumer.subscribe(List.of(topic));
			List<String> values = new ArrayList<>();
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				consumer.poll(Duration.ofMillis(500))
					.forEach((ConsumerRecord<String, String> record) -> values.add(record.value()));
				return !values.isEmpty() && consumer.assignment()
					.stream()
					.allMatch((partition) -> consumer.position(partition) >= consumer.endOffsets(List.of(partition))
						.get(partition));
			});
			return values;
		}
	}

	private static double seconds(Duration duration) {
		return duration.toMillis() / 1000.0;
	}

}
