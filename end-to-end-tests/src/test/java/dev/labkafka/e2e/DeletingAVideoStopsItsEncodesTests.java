package dev.labkafka.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import dev.labkafka.testsupport.LenientHttp;
import dev.labkafka.api.VideoApiApplication;
import dev.labkafka.localstack.FreePorts;
import dev.labkafka.messages.Topics;
import dev.labkafka.stream.VideoStreamApplication;
import dev.labkafka.testsupport.Instances;
import dev.labkafka.testsupport.MongoWireServer;
import dev.labkafka.testsupport.TestBrokers;
import dev.labkafka.testsupport.TestClips;
import dev.labkafka.testsupport.TestKafka;
import dev.labkafka.videos.StoredMedia;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.common.TopicPartition;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.util.FileSystemUtils;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * Deleting a video stops its encodes, on whichever worker runs them: two workers with the
 * ffmpeg transcoder and the API, as their {@code main} methods start them, on a real
 * Kafka broker and the MongoDB-wire server. A 1080p source long enough that its four
 * encodes take far longer than the test waits is made by ffmpeg at test time; once ffmpeg
 * encodes it on both workers, the video is deleted through the API, and within 2 s no
 * program runs for it, no work file of it is left, and nothing is stored under its id in
 * any bucket, nor is a few seconds later. Skipped where ffmpeg is not installed.
 */
@TestInstance(Lifecycle.PER_CLASS)
class DeletingAVideoStopsItsEncodesTests {

	static final JsonMapper json = JsonMapper.builder().build();

	EmbeddedKafkaKraftBroker kafka;

	Instances workers;

	List<ConfigurableApplicationContext> started = new ArrayList<>();

	ConfigurableApplicationContext api;

	RestClient http;

	Path temp;

	List<Path> workDirs;

	@BeforeAll
	void startThePipeline() throws IOException {
		assumeThat(TestClips.ffmpegInstalled()).as("ffmpeg and ffprobe installed").isTrue();
		this.kafka = TestBrokers.start();
		this.temp = Files.createTempDirectory("deleting-encodes");
		this.workDirs = List.of(this.temp.resolve("work-a"), this.temp.resolve("work-b"));
		this.workers = new Instances(VideoStreamApplication::application, this.kafka.getBrokersAsString(),
				"--video.stream.transcoder=ffmpeg",
				// Two encodes at once in each worker, whatever the machine has.
				"--video.stream.rendition-concurrency=2",
				// The 30 s video is encoded whole, the 44 s one in segments.
				"--video.stream.segments.threshold=40s");
		for (Path work : this.workDirs) {
			this.started.add(this.workers.start("--video.stream.media.work-dir=" + work));
		}
		int port = FreePorts.next();
		this.api = VideoApiApplication.application()
			.run("--spring.kafka.bootstrap-servers=" + this.kafka.getBrokersAsString(),
					"--spring.mongodb.uri=" + MongoWireServer.shared().uri(), "--server.port=" + port,
					"--video.api.public-base-url=http://localhost:" + port);
		this.http = RestClient.builder().baseUrl("http://localhost:" + port).build();
	}

	@AfterAll
	void stopThePipeline() {
		if (this.api != null) {
			this.api.close();
		}
		if (this.workers != null) {
			this.workers.close();
		}
		if (this.kafka != null) {
			this.kafka.destroy();
		}
		if (this.temp != null) {
			FileSystemUtils.deleteRecursively(this.temp.toFile());
		}
	}

	@Test
	void deletingAVideoStopsItsEncodesOnEveryWorkerAndLeavesNothingOfIt() {
		Path source = longSource(this.temp);
		awaitEveryRenditionConsumerAssigned();
		long goneBefore = renditions("video_gone");
		String id = upload(source);

		// ffmpeg encodes it on both workers: each worker's work directory is in its
		// command lines.
		await().atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofMillis(200))
			.untilAsserted(() -> assertThat(this.workDirs).allSatisfy(
					(work) -> assertThat(encodes(id)).anyMatch((command) -> command.contains(work.toString()))));
		assertThat(doneRenditions(id)).as("no encode ended before the delete").isZero();

		long deleted = System.nanoTime();
		this.http.delete().uri("/v1/videos/{id}", id).retrieve().toBodilessEntity();

		await().atMost(Duration.ofSeconds(2))
			.pollInterval(Duration.ofMillis(100))
			.untilAsserted(() -> assertNothingLeftOf(id));
		System.out.printf("Nothing left of video %s %d ms after its delete was sent%n", id,
				Duration.ofNanos(System.nanoTime() - deleted).toMillis());
		// And nothing comes back: no late writer stores anything for it.
		await().during(Duration.ofSeconds(4))
			.atMost(Duration.ofSeconds(6))
			.pollInterval(Duration.ofMillis(250))
			.untilAsserted(() -> assertNothingLeftOf(id));
		// Every rendition was dropped, as one of a video that is gone: neither retried
		// nor
		// dead-lettered.
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(renditions("video_gone")).isEqualTo(goneBefore + 4));
		TestKafka kafka = new TestKafka(this.kafka.getBrokersAsString());
		for (String topic : List.of(Topics.RENDITIONS + "-retry-0", Topics.RENDITIONS + Topics.DEAD_LETTER_SUFFIX)) {
			assertThat(kafka.recordsWithKey(topic, id, "read_committed")).as(topic).isEmpty();
		}

		// The workers go on with the next video.
		String next = upload(TestClips.make(this.temp, 640, 360, 2, true));
		await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(250))
			.untilAsserted(() -> assertThat(status(next)).isEqualTo("success"));
	}

	@Test
	void deletingAVideoCutIntoSegmentsStopsEverySegmentOnEveryWorkerAndLeavesNoSegment() {
		Path source = longSource(this.temp, 44);
		awaitEveryRenditionConsumerAssigned();
		String id = upload(source);

		// Segments of it are encoded on both workers: a segment's ffmpeg reads the
		// original from its own worker's loopback address, and writes into that
		// worker's work directory.
		await().atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofMillis(200))
			.untilAsserted(() -> assertThat(this.workDirs).allSatisfy((work) -> assertThat(encodes(id))
				.anyMatch((command) -> command.contains("/internal/originals/" + id) && command.contains("trim=start")
						&& command.contains(work.toString()))));
		// And a segment of it is stored, while others are still encoded.
		await().atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofMillis(200))
			.untilAsserted(
					() -> assertThat(count(StoredMedia.RENDITIONS_BUCKET + ".files", "_id", id)).as("segments stored")
						.isPositive());
		assertThat(encodes(id)).as("segments still encoded").isNotEmpty();

		this.http.delete().uri("/v1/videos/{id}", id).retrieve().toBodilessEntity();

		await().atMost(Duration.ofSeconds(2))
			.pollInterval(Duration.ofMillis(100))
			.untilAsserted(() -> assertNothingLeftOf(id));
		await().during(Duration.ofSeconds(4))
			.atMost(Duration.ofSeconds(6))
			.pollInterval(Duration.ofMillis(250))
			.untilAsserted(() -> assertNothingLeftOf(id));
		TestKafka kafka = new TestKafka(this.kafka.getBrokersAsString());
		for (String topic : List.of(Topics.RENDITIONS + "-retry-0", Topics.RENDITIONS + Topics.DEAD_LETTER_SUFFIX)) {
			assertThat(kafka.recordsWithKey(topic, id, "read_committed")).as(topic).isEmpty();
		}
	}

	private void assertNothingLeftOf(String id) {
		assertThat(programsOf(id)).as("programs running for the video").isEmpty();
		assertThat(workFilesOf(id)).as("work files of the video").isEmpty();
		for (String bucket : List.of("fs", StoredMedia.RENDITIONS_BUCKET, StoredMedia.THUMBNAILS_BUCKET)) {
			assertThat(count(bucket + ".files", "_id", id)).as("%s.files", bucket).isZero();
			assertThat(count(bucket + ".chunks", "files_id", id)).as("%s.chunks", bucket).isZero();
		}
	}

	/**
	 * A 1080p clip whose four renditions take well over a minute to encode on two cores
	 * (the 1080 one alone about 30 s of processor time), yet small to store (about 10
	 * MB): made quickly, at a low quality.
	 */
	private static Path longSource(Path directory) {
		return longSource(directory, 30);
	}

	/**
	 * Likewise, {@code seconds} long: over 30 s, its renditions are cut into segments.
	 */
	private static Path longSource(Path directory, int seconds) {
		Path clip = directory.resolve("long-1080p-" + seconds + ".mp4");
		run(List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
				"testsrc2=duration=" + seconds + ":size=1920x1080:rate=25", "-c:v", "libx264", "-preset", "ultrafast",
				"-crf", "40", "-pix_fmt", "yuv420p", clip.toString()));
		return clip;
	}

	private static void run(List<String> command) {
		try {
			Process process = new ProcessBuilder(command).inheritIO().start();
			if (!process.waitFor(3, TimeUnit.MINUTES) || process.exitValue() != 0) {
				process.destroyForcibly();
				throw new IllegalStateException(String.join(" ", command) + " failed");
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The command lines of the programs that work on the video: any on the machine, so
	 * that one left orphaned by its killed parent counts too.
	 */
	private static List<String> programsOf(String id) {
		return ProcessHandle.allProcesses()
			.filter(ProcessHandle::isAlive)
			.map((process) -> process.info().commandLine().orElse(""))
			.filter((command) -> command.contains(id))
			.toList();
	}

	/** Those that are ffmpeg encoding a rendition (not taking the poster frame). */
	private static List<String> encodes(String id) {
		return programsOf(id).stream()
			.filter((command) -> command.split(" ")[0].endsWith("ffmpeg") && !command.contains("-frames:v"))
			.toList();
	}

	private List<Path> workFilesOf(String id) {
		List<Path> left = new ArrayList<>();
		for (Path work : this.workDirs) {
			if (Files.isDirectory(work)) {
				try (Stream<Path> files = Files.walk(work)) {
					files.filter((file) -> file.getFileName().toString().contains(id)).forEach(left::add);
				}
				catch (IOException ex) {
					// A file went away while it was listed: look again.
					left.add(work);
				}
			}
		}
		return left;
	}

	/**
	 * The documents of a GridFS collection that belong to the video: by its id (the
	 * original, the poster frame) or under it (renditions).
	 */
	private static long count(String collection, String field, String id) {
		try (MongoClient client = MongoClients.create(MongoWireServer.shared().uri())) {
			MongoDatabase database = client.getDatabase(MongoWireServer.DATABASE);
			return database.getCollection(collection)
				.countDocuments(new Document("$or", List.of(new Document(field, new ObjectId(id)),
						new Document(field, new Document("$regex", "^" + StoredMedia.ownedBy(id))))));
		}
	}

	/** Renditions with this outcome, on both workers. */
	private long renditions(String outcome) {
		return this.started.stream()
			.flatMap((worker) -> worker.getBean(MeterRegistry.class)
				.find("videos.renditions")
				.tag("outcome", outcome)
				.timers()
				.stream())
			.mapToLong(Timer::count)
			.sum();
	}

	private long doneRenditions(String id) {
		var variants = json.readTree(this.http.get().uri("/v1/videos/{id}", id).retrieve().body(String.class))
			.get("variants");
		return (variants != null) ? variants.size() : 0;
	}

	/**
	 * Waits until the renditions group has settled on both workers' consumers, so that
	 * the fan-out spreads the video's renditions over both.
	 */
	private void awaitEveryRenditionConsumerAssigned() {
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
			List<Collection<TopicPartition>> assignments = new ArrayList<>();
			for (ConfigurableApplicationContext worker : this.started) {
				var renditions = (ConcurrentMessageListenerContainer<?, ?>) worker
					.getBean(KafkaListenerEndpointRegistry.class)
					.getListenerContainer("renditions");
				assignments.addAll(renditions.getAssignmentsByClientId().values());
			}
			assertThat(assignments).hasSize(4).allSatisfy((partitions) -> assertThat(partitions).isNotEmpty());
			assertThat(assignments.stream().mapToInt(Collection::size).sum()).isEqualTo(Topics.RENDITIONS_PARTITIONS);
		});
	}

	private String upload(Path clip) {
		ResponseEntity<String> response = LenientHttp.upload(this.http, new FileSystemResource(clip));
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		return json.readTree(response.getBody()).get("id").asString();
	}

	private String status(String id) {
		return json.readTree(this.http.get().uri("/v1/videos/{id}", id).retrieve().body(String.class))
			.get("status")
			.asString();
	}

}
