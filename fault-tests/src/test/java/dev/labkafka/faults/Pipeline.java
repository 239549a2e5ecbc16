package dev.labkafka.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.labkafka.testsupport.SampleVideos;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole pipeline as separate processes, as {@code make run} starts it: the local
 * stack's Kafka broker and MongoDB-wire server, and the services' runnable jars, on free
 * loopback ports with their data and logs in one folder. Parts can be stopped (SIGTERM),
 * killed (SIGKILL) and started again.
 */
final class Pipeline implements AutoCloseable {

	static final JsonMapper json = JsonMapper.builder().build();

	private static final Pattern TRANSCODED = Pattern.compile("Video (\\w{24}): transcoded rendition (\\d+)");

	private final Path root = Path.of(System.getProperty("pipeline.root", ".."));

	private final Path directory;

	private final int kafkaPort = freePort();

	private final int controllerPort = freePort();

	private final int mongoPort = freePort();

	private final int apiPort = freePort();

	private final Map<String, Process> running = new LinkedHashMap<>();

	private final Map<String, Integer> starts = new HashMap<>();

	private final List<Path> workerLogs = new ArrayList<>();

	private final Map<String, Path> logs = new HashMap<>();

	private final HttpClient http = HttpClient.newHttpClient();

	Pipeline(Path directory) {
		this.directory = directory;
	}

	/** Starts all four parts and waits until the worker has its partitions. */
	Pipeline start() {
		startKafka();
		startMongo();
		startApi();
		startWorker();
		return this;
	}

	void startKafka() {
		start("kafka", List.of(jar("local-stack"), "kafka"), "-Xmx512m");
		awaitListening(this.kafkaPort);
	}

	void startMongo() {
		start("mongo", List.of(jar("local-stack"), "mongo"), "-Xmx256m");
		awaitListening(this.mongoPort);
	}

	void startApi() {
		start("api", List.of(jar("video-api"), "--server.port=" + this.apiPort,
				"--video.api.public-base-url=http://localhost:" + this.apiPort, "--video.api.outbox.interval=500ms"),
				"-Xmx256m");
		awaitListening(this.apiPort);
	}

	/** Starts a worker and waits until its rendition consumers have their partitions. */
	void startWorker() {
		Path log = start("stream", List.of(jar("video-stream"), "--video.stream.transcode-time=1s",
				// Recover from a killed worker's open transactions in 10 s, not Kafka's
				// 60 s.
				"--spring.kafka.producer.properties.transaction.timeout.ms=10000"), "-Xmx256m");
		this.workerLogs.add(log);
		await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> Files.readString(log).contains("video-stream.renditions: partitions assigned"));
	}

	/** SIGTERM, and wait for the process to exit. */
	void stop(String part) throws InterruptedException {
		Process process = this.running.remove(part);
		process.destroy();
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(part + " stops on SIGTERM").isTrue();
	}

	/** SIGTERM without waiting: the process shuts down while the test goes on. */
	void stopAsync(String part) {
		this.running.get(part).destroy();
	}

	/** Waits until the part's current log has a line containing {@code text}. */
	void awaitLog(String part, String text) {
		Path log = this.logs.get(part);
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> Files.readString(log).contains(text));
	}

	void awaitStopped(String part) throws InterruptedException {
		Process process = this.running.remove(part);
		assertThat(process.waitFor(90, TimeUnit.SECONDS)).as(part + " stops on SIGTERM").isTrue();
	}

	/**
	 * Starts an upload over a raw connection and sends its first half, then waits until
	 * the API has begun reading it.
	 */
	SlowUpload startSlowUpload() throws IOException {
		return new SlowUpload(new Socket("127.0.0.1", this.apiPort));
	}

	/** An upload sent in two halves, so that something can happen in between. */
	static final class SlowUpload {

		private static final String BOUNDARY = "----slow-upload";

		private final Socket socket;

		private final byte[] body;

		SlowUpload(Socket socket) throws IOException {
			this.socket = socket;
			byte[] video = SampleVideos.mp4();
			String head = "--" + BOUNDARY
					+ "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"slow.mp4\"\r\n"
					+ "Content-Type: video/mp4\r\n\r\n";
			String tail = "\r\n--" + BOUNDARY + "--\r\n";
			this.body = new byte[head.length() + video.length + tail.length()];
			System.arraycopy(head.getBytes(StandardCharsets.ISO_8859_1), 0, this.body, 0, head.length());
			System.arraycopy(video, 0, this.body, head.length(), video.length);
			System.arraycopy(tail.getBytes(StandardCharsets.ISO_8859_1), 0, this.body, head.length() + video.length,
					tail.length());
			socket.getOutputStream()
				.write(("POST /v1/videos HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
						+ "Content-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\nContent-Length: "
						+ this.body.length + "\r\n\r\n")
					.getBytes(StandardCharsets.ISO_8859_1));
			socket.getOutputStream().write(this.body, 0, this.body.length / 2);
			socket.getOutputStream().flush();
		}

		/** Sends the rest, and returns the id the API answered with. */
		String finish() throws IOException {
			this.socket.getOutputStream()
				.write(this.body, this.body.length / 2, this.body.length - this.body.length / 2);
			this.socket.getOutputStream().flush();
			String response = new String(this.socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			this.socket.close();
			assertThat(response).startsWith("HTTP/1.1 201");
			Matcher id = Pattern.compile("\"id\":\"(\\w{24})\"").matcher(response);
			assertThat(id.find()).as(response).isTrue();
			return id.group(1);
		}

	}

	/** SIGKILL: no shutdown hook, nothing flushed. */
	void kill(String part) throws InterruptedException {
		Process process = this.running.remove(part);
		process.destroyForcibly();
		process.waitFor(30, TimeUnit.SECONDS);
	}

	int kafkaPort() {
		return this.kafkaPort;
	}

	int mongoPort() {
		return this.mongoPort;
	}

	String bootstrapServers() {
		return "127.0.0.1:" + this.kafkaPort;
	}

	/** Uploads the sample video and returns its id. */
	String upload() throws IOException, InterruptedException {
		String boundary = "----fault-test";
		byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"clip.mp4\"\r\n"
				+ "Content-Type: video/mp4\r\n\r\n")
			.getBytes(StandardCharsets.ISO_8859_1);
		byte[] video = SampleVideos.mp4();
		byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1);
		byte[] body = new byte[head.length + video.length + tail.length];
		System.arraycopy(head, 0, body, 0, head.length);
		System.arraycopy(video, 0, body, head.length, video.length);
		System.arraycopy(tail, 0, body, head.length + video.length, tail.length);
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(api("/v1/videos"))
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.timeout(Duration.ofSeconds(60))
			.POST(HttpRequest.BodyPublishers.ofByteArray(body))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		return json.readTree(response.body()).get("id").asString();
	}

	/**
	 * The video as {@code GET /v1/videos/{id}} shows it, or null while the API cannot
	 * answer.
	 */
	JsonNode video(String id) {
		try {
			HttpResponse<String> response = this.http.send(
					HttpRequest.newBuilder(api("/v1/videos/" + id)).timeout(Duration.ofSeconds(10)).build(),
					HttpResponse.BodyHandlers.ofString());
			return (response.statusCode() == 200) ? json.readTree(response.body()) : null;
		}
		catch (IOException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	/** How many of these videos have status {@code success}. */
	long succeeded(List<String> ids) {
		return ids.stream()
			.map(this::video)
			.filter((video) -> video != null && "success".equals(video.get("status").asString()))
			.count();
	}

	/** How many renditions have been recorded across these videos. */
	long variants(List<String> ids) {
		return ids.stream()
			.map(this::video)
			.filter((video) -> video != null)
			.mapToLong((video) -> video.get("variants").size())
			.sum();
	}

	/**
	 * How often each rendition was transcoded, over every worker this pipeline ran, keyed
	 * {@code <id>:<scale>}.
	 */
	Map<String, Integer> transcodes() throws IOException {
		Map<String, Integer> counts = new HashMap<>();
		for (Path log : this.workerLogs) {
			Matcher matcher = TRANSCODED.matcher(Files.readString(log));
			while (matcher.find()) {
				counts.merge(matcher.group(1) + ":" + matcher.group(2), 1, Integer::sum);
			}
		}
		return counts;
	}

	@Override
	public void close() {
		List<Process> processes = new ArrayList<>(this.running.values());
		java.util.Collections.reverse(processes);
		processes.forEach(Process::destroy);
		processes.forEach((process) -> {
			try {
				if (!process.waitFor(30, TimeUnit.SECONDS)) {
					process.destroyForcibly();
				}
			}
			catch (InterruptedException ex) {
				process.destroyForcibly();
				Thread.currentThread().interrupt();
			}
		});
	}

	private URI api(String path) {
		return URI.create("http://localhost:" + this.apiPort + path);
	}

	private Path start(String part, List<String> arguments, String heap) {
		int start = this.starts.merge(part, 1, Integer::sum);
		Path log = this.directory.resolve(part + "-" + start + ".log");
		this.logs.put(part, log);
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), heap, "-jar"));
		command.addAll(arguments);
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
		builder.environment()
			.putAll(Map.of("LOCAL_STACK_DATA", this.directory.resolve("data").toString(), "KAFKA_PORT",
					String.valueOf(this.kafkaPort), "KAFKA_CONTROLLER_PORT", String.valueOf(this.controllerPort),
					"MONGO_PORT", String.valueOf(this.mongoPort), "SPRING_KAFKA_BOOTSTRAP_SERVERS", bootstrapServers(),
					"SPRING_MONGODB_URI", "mongodb://127.0.0.1:" + this.mongoPort + "/nthu_distributed_system"));
		try {
			this.running.put(part, builder.start());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return log;
	}

	private String jar(String module) {
		Path jar = this.root.resolve(module).resolve("target").resolve(module + "-exec.jar");
		assertThat(jar).as("built by the reactor before these tests").exists();
		return jar.toString();
	}

	private static void awaitListening(int port) {
		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
			try (Socket socket = new Socket("127.0.0.1", port)) {
				return true;
			}
			catch (IOException ex) {
				return false;
			}
		});
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
