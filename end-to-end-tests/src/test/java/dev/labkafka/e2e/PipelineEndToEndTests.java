package dev.labkafka.e2e;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import dev.labkafka.testsupport.LenientHttp;
import dev.labkafka.localstack.FreePorts;
import dev.labkafka.api.VideoApiApplication;
import dev.labkafka.stream.VideoStreamApplication;
import dev.labkafka.testsupport.SampleVideos;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.test.utils.ContainerTestUtils;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole pipeline as a user meets it: both services, as their {@code main} methods
 * start them, with the mock transcoder at its real 3 seconds. An upload over HTTP comes
 * back with four variants. The scenarios are written once and run on the embedded
 * infrastructure ({@link EmbeddedPipelineTests}) and, where Docker exists, on real
 * MongoDB and Kafka ({@link ContainerPipelineTests}).
 */
@ExtendWith(OutputCaptureExtension.class)
@TestInstance(Lifecycle.PER_CLASS)
abstract class PipelineEndToEndTests {

	static final JsonMapper json = JsonMapper.builder().build();

	static ConfigurableApplicationContext stream;

	static ConfigurableApplicationContext api;

	static RestClient http;

	/** Where Kafka is: {@code host:port}. */
	abstract String bootstrapServers();

	/** Where MongoDB is, with the database to use. */
	abstract String mongoUri();

	@BeforeAll
	void startThePipeline() throws IOException {
		String[] infrastructure = { "--spring.kafka.bootstrap-servers=" + bootstrapServers(),
				"--spring.mongodb.uri=" + mongoUri() };
		int port = FreePorts.next();
		stream = VideoStreamApplication.application().run(concat(infrastructure, "--server.port=0"));
		api = VideoApiApplication.application()
			.run(concat(infrastructure, "--server.port=" + port,
					"--video.api.public-base-url=http://localhost:" + port));
		http = RestClient.builder().baseUrl("http://localhost:" + port).build();
		KafkaListenerEndpointRegistry listeners = stream.getBean(KafkaListenerEndpointRegistry.class);
		waitForAssignment(listeners.getListenerContainer("fan-out"), 6);
		waitForAssignment(listeners.getListenerContainer("renditions"), 24);
	}

	@AfterAll
	void stopThePipeline() {
		if (api != null) {
			api.close();
		}
		if (stream != null) {
			stream.close();
		}
	}

	@Test
	void makesTheFourRenditionsOfAnUploadInParallelInUnderSixSeconds() {
		String id = upload("big_buck_bunny.mp4");

		// Four 3-second renditions one after the other would take 12 s.
		await().atMost(Duration.ofSeconds(6))
			.pollInterval(Duration.ofMillis(100))
			.untilAsserted(() -> assertThat(video(id).get("status").asString()).isEqualTo("success"));
		JsonNode video = video(id);
		String url = video.get("url").asString();
		assertThat(video.get("variants").propertyNames()).containsExactlyInAnyOrder("360", "480", "720", "1080");
		assertThat(video.get("variants").valueStream().map(JsonNode::asString)).containsOnly(url);
	}

	@Test
	void completesEveryVideoOfABatchUploadedAtOnce() {
		List<String> ids = IntStream.range(0, 3)
			.mapToObj((i) -> CompletableFuture.supplyAsync(() -> upload("clip-" + i + ".mp4")))
			.toList()
			.stream()
			.map(CompletableFuture::join)
			.toList();

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(ids)
				.allSatisfy((id) -> assertThat(video(id).get("status").asString()).isEqualTo("success")));
		JsonNode listed = json.readTree(http.get().uri("/v1/videos?limit=100").retrieve().body(String.class));
		assertThat(listed.get("videos").valueStream().map((video) -> video.get("id").asString())).containsAll(ids);
	}

	@Test
	void servesTheOriginalAtTheUrlTheVariantsPointTo() {
		String id = upload("clip.mp4");

		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(video(id).get("status").asString()).isEqualTo("success"));
		String variant = video(id).get("variants").get("720").asString();
		byte[] bytes = RestClient.create().get().uri(variant).retrieve().body(byte[].class);
		assertThat(bytes).isEqualTo(SampleVideos.mp4());
	}

	@Test
	void followsAVideoWithOneTraceFromTheUploadToItsLastRendition(CapturedOutput output) {
		String id = upload("traced.mp4");

		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(video(id).get("status").asString()).isEqualTo("success"));
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(linesAbout(output, id))
				.anyMatch((line) -> line.contains("has all its renditions")));
		List<String> lines = linesAbout(output, id);
		String trace = traceId(
				lines.stream().filter((line) -> line.contains("Stored video " + id)).findFirst().orElseThrow());
		assertThat(lines).filteredOn((line) -> line.contains("fanned out") || line.contains("transcoded rendition"))
			.hasSize(5)
			.allSatisfy((line) -> assertThat(traceId(line)).isEqualTo(trace));
	}

	@Test
	void exposesHealthAndTheWorkersMetrics() {
		String id = upload("measured.mp4");
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(video(id).get("status").asString()).isEqualTo("success"));

		RestClient worker = RestClient
			.create("http://localhost:" + stream.getEnvironment().getProperty("local.server.port"));
		JsonNode readiness = json
			.readTree(worker.get().uri("/actuator/health/readiness").retrieve().body(String.class));
		assertThat(readiness.get("status").asString()).as("MongoDB, Kafka and every consumer in its group")
			.isEqualTo("UP");
		assertThat(json.readTree(worker.get().uri("/readyz").retrieve().body(String.class)).get("status").asString())
			.as("the same group where Kubernetes asks for it")
			.isEqualTo("UP");
		String metrics = worker.get().uri("/actuator/prometheus").retrieve().body(String.class);
		assertThat(metrics).contains("videos_fanouts_total{", "outcome=\"fanned_out\"")
			.contains("videos_renditions_seconds_count{", "outcome=\"done\"", "scale=\"1080\"")
			.contains("kafka_consumer_fetch_manager_records_lag_max");
	}

	private static List<String> linesAbout(CapturedOutput output, String id) {
		return output.getOut().lines().filter((line) -> line.contains(id)).toList();
	}

	/** The trace id in a log line's {@code [traceId-spanId]} correlation block. */
	private static String traceId(String line) {
		Matcher matcher = Pattern.compile("\\[([0-9a-f]{32})-[0-9a-f]{16}\\]").matcher(line);
		assertThat(matcher.find()).as("a trace id in: " + line).isTrue();
		return matcher.group(1);
	}

	private static String upload(String filename) {
		ResponseEntity<String> response = LenientHttp.upload(http, filename, SampleVideos.mp4());
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		return json.readTree(response.getBody()).get("id").asString();
	}

	private static JsonNode video(String id) {
		return json.readTree(http.get().uri("/v1/videos/{id}", id).retrieve().body(String.class));
	}

	private static void waitForAssignment(MessageListenerContainer container, int partitions) {
		ContainerTestUtils.waitForAssignment(container, partitions);
	}

	static String[] concat(String[] first, String... more) {
		String[] all = new String[first.length + more.length];
		System.arraycopy(first, 0, all, 0, first.length);
		System.arraycopy(more, 0, all, first.length, more.length);
		return all;
	}

}
