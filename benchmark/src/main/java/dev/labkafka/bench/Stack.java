package dev.labkafka.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The pipeline as {@code make run} starts it, one process per part, on free loopback
 * ports, with data and logs in one folder: what the benchmark measures.
 */
final class Stack implements AutoCloseable {

	private final Path root;

	private final Path directory;

	private final Map<String, Integer> ports = new HashMap<>();

	private final Map<String, Process> running = new LinkedHashMap<>();

	private int starts;

	Stack(Path root, Path directory) {
		this.root = root;
		this.directory = directory;
		for (String port : List.of("kafka", "controller", "mongo", "api")) {
			this.ports.put(port, freePort());
		}
	}

	String apiUrl() {
		return "http://localhost:" + this.ports.get("api");
	}

	String mongoUri() {
		return "mongodb://127.0.0.1:" + this.ports.get("mongo") + "/nthu_distributed_system";
	}

	void startInfrastructure() {
		start("kafka", "-Xmx512m", List.of(jar("local-stack"), "kafka"));
		// The MongoDB-wire server keeps its H2 store's pages in the heap: 2 GB takes the
		// 1 GiB upload.
		start("mongo", "-Xmx2g", List.of(jar("local-stack"), "mongo"));
		await(() -> listening(this.ports.get("kafka")) && listening(this.ports.get("mongo")), "Kafka and MongoDB");
	}

	/** Starts the API with this heap and waits until it answers. */
	void startApi(String heap) {
		start("api", heap, List.of(jar("video-api"), "--server.port=" + this.ports.get("api"),
				"--video.api.public-base-url=" + apiUrl()));
		await(() -> listening(this.ports.get("api")), "video-api");
	}

	/**
	 * Starts {@code count} workers with this rendition concurrency and transcode time,
	 * and waits until each has its rendition partitions.
	 */
	void startWorkers(int count, int concurrency, Duration transcodeTime) {
		List<Path> logs = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			logs.add(start("stream-" + i, "-Xmx384m",
					List.of(jar("video-stream"), "--server.port=0",
							"--video.stream.rendition-concurrency=" + concurrency,
							"--video.stream.transcode-time=" + transcodeTime.toMillis() + "ms")));
		}
		await(() -> logs.stream().allMatch((log) -> contains(log, "video-stream.renditions: partitions assigned")),
				count + " worker(s)");
		await(() -> logs.stream().allMatch((log) -> contains(log, "video-stream.fan-out: partitions assigned")),
				"fan-out consumers");
		// The group has settled when no worker has logged a new assignment for 3 seconds.
		long[] assignments = { -1 };
		long[] stableSince = { System.nanoTime() };
		await(() -> {
			long now = logs.stream().mapToLong((log) -> count(log, "partitions assigned")).sum();
			if (now != assignments[0]) {
				assignments[0] = now;
				stableSince[0] = System.nanoTime();
			}
			return System.nanoTime() - stableSince[0] > Duration.ofSeconds(3).toNanos();
		}, "the consumer groups");
	}

	private static long count(Path log, String text) {
		try {
			return Files.readString(log).split(java.util.regex.Pattern.quote(text), -1).length - 1;
		}
		catch (IOException ex) {
			return 0;
		}
	}

	/** The CPU time the running part has used so far (zero where the OS does not say). */
	Duration cpu(String part) {
		return this.running.get(part).info().totalCpuDuration().orElse(Duration.ZERO);
	}

	void stop(String prefix) {
		List<String> parts = this.running.keySet().stream().filter((part) -> part.startsWith(prefix)).toList();
		parts.forEach((part) -> this.running.get(part).destroy());
		for (String part : parts) {
			try {
				this.running.remove(part).waitFor(60, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public void close() {
		List<String> parts = new ArrayList<>(this.running.keySet());
		java.util.Collections.reverse(parts);
		parts.forEach(this::stop);
	}

	private Path start(String part, String heap, List<String> arguments) {
		Path log = this.directory.resolve(part + "-" + (++this.starts) + ".log");
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), heap, "-jar"));
		command.addAll(arguments);
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
		builder.environment()
			.putAll(Map.of("LOCAL_STACK_DATA", this.directory.resolve("data").toString(), "KAFKA_PORT",
					String.valueOf(this.ports.get("kafka")), "KAFKA_CONTROLLER_PORT",
					String.valueOf(this.ports.get("controller")), "MONGO_PORT", String.valueOf(this.ports.get("mongo")),
					"SPRING_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + this.ports.get("kafka"), "SPRING_MONGODB_URI",
					mongoUri()));
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
		if (!Files.exists(jar)) {
			throw new IllegalStateException(jar + " is missing: build first (make build)");
		}
		return jar.toString();
	}

	private static boolean contains(Path log, String text) {
		try {
			return Files.readString(log).contains(text);
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static boolean listening(int port) {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** Polls {@code condition} for up to two minutes. */
	static void await(BooleanSupplier condition, String what) {
		long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(what + " not ready within 2 minutes");
			}
			pause(Duration.ofMillis(100));
		}
	}

	static void pause(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
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
