package dev.labkafka.processes;

import dev.labkafka.localstack.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The pipeline as {@code make run} starts it: the local stack's Kafka broker and
 * MongoDB-wire server, and the services' runnable jars, one process per part, each on a
 * free loopback port (so that it runs beside anything else, a {@code make run} included),
 * with their data and logs in one folder. Parts can be started, stopped (SIGTERM), killed
 * (SIGKILL) and started again; a service counts as started once its readiness endpoint
 * says so, as an orchestrator would see it.
 */
public final class LocalPipeline implements AutoCloseable {

	/** The part names of the infrastructure and of the API. */
	public static final String KAFKA = "kafka", MONGO = "mongo", API = "api";

	private static final Duration STARTUP = Duration.ofMinutes(2);

	private final Path root;

	private final Path directory;

	private final int kafkaPort = freePort();

	private final int controllerPort = freePort();

	private final int mongoPort = freePort();

	private final int apiPort = freePort();

	private final Map<String, Process> running = new LinkedHashMap<>();

	private final Map<String, Integer> httpPorts = new HashMap<>();

	private final Map<String, Path> logs = new HashMap<>();

	private final List<Path> allLogs = new ArrayList<>();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private int starts;

	/**
	 * @param root the project's folder, where the modules' jars are built
	 * @param directory where the processes keep their data and logs
	 */
	public LocalPipeline(Path root, Path directory) {
		this.root = root;
		this.directory = directory;
	}

	public String apiUrl() {
		return "http://localhost:" + this.apiPort;
	}

	public int apiPort() {
		return this.apiPort;
	}

	public String bootstrapServers() {
		return "127.0.0.1:" + this.kafkaPort;
	}

	public String mongoUri() {
		return "mongodb://127.0.0.1:" + this.mongoPort + "/nthu_distributed_system";
	}

	/** Starts Kafka and MongoDB and waits until both listen. */
	public void startInfrastructure() {
		startKafka();
		startMongo();
	}

	public void startKafka() {
		start(KAFKA, "-Xmx512m", List.of(jar("local-stack"), "kafka"));
		await(() -> listening(this.kafkaPort), "Kafka");
	}

	/**
	 * Starts the MongoDB-wire server. It keeps its H2 store's pages in the heap: 2 GB
	 * takes a 1 GiB upload.
	 */
	public void startMongo() {
		start(MONGO, "-Xmx2g", List.of(jar("local-stack"), "mongo"));
		await(() -> listening(this.mongoPort), "MongoDB");
	}

	/** Starts the API with this heap and these arguments, and waits until it is ready. */
	public void startApi(String heap, String... arguments) {
		List<String> command = new ArrayList<>(List.of(jar("video-api"), "--server.port=" + this.apiPort,
				"--video.api.public-base-url=" + apiUrl(), "--video.api.browser-port=0"));
		command.addAll(List.of(arguments));
		this.httpPorts.put(API, this.apiPort);
		start(API, heap, command);
		awaitReady(API);
	}

	/**
	 * Starts a worker named {@code name} (for instance {@code stream-0}) with this heap
	 * and these arguments, and waits until it is ready: every consumer has joined its
	 * group.
	 * @return its log
	 */
	public Path startWorker(String name, String heap, String... arguments) {
		int port = freePort();
		List<String> command = new ArrayList<>(List.of(jar("video-stream"), "--server.port=" + port));
		command.addAll(List.of(arguments));
		this.httpPorts.put(name, port);
		Path log = start(name, heap, command);
		awaitReady(name);
		return log;
	}

	/**
	 * Starts a worker as {@link #startWorker} does, bound to one CPU core with
	 * {@code taskset}: the worker and every ffmpeg it starts run on that core only, as on
	 * a one-core machine (Linux only).
	 * @return its log
	 */
	public Path startWorkerOnCore(String name, int core, String heap, String... arguments) {
		int port = freePort();
		List<String> command = new ArrayList<>(List.of(jar("video-stream"), "--server.port=" + port));
		command.addAll(List.of(arguments));
		this.httpPorts.put(name, port);
		Path log = start(name, List.of("taskset", "-c", String.valueOf(core)), heap, command);
		awaitReady(name);
		return log;
	}

	/** The HTTP port of a running service. */
	public int port(String part) {
		return this.httpPorts.get(part);
	}

	/**
	 * Starts {@code count} workers named {@code stream-0}, {@code stream-1}... together,
	 * and waits until all are ready.
	 */
	public void startWorkers(int count, String heap, String... arguments) {
		List<String> names = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String name = "stream-" + i;
			int port = freePort();
			List<String> command = new ArrayList<>(List.of(jar("video-stream"), "--server.port=" + port));
			command.addAll(List.of(arguments));
			this.httpPorts.put(name, port);
			start(name, heap, command);
			names.add(name);
		}
		names.forEach(this::awaitReady);
	}

	/** Waits until the service's readiness endpoint answers 200. */
	public void awaitReady(String part) {
		URI readiness = URI.create("http://localhost:" + this.httpPorts.get(part) + "/actuator/health/readiness");
		await(() -> {
			requireRunning(part);
			try {
				return this.http
					.send(HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(5)).build(),
							HttpResponse.BodyHandlers.discarding())
					.statusCode() == 200;
			}
			catch (IOException ex) {
				return false;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}, part + " ready");
	}

	/** SIGTERM, and waits for the process to exit. */
	public void stop(String part) {
		stopAsync(part);
		awaitStopped(part);
	}

	/** SIGTERM without waiting: the process shuts down meanwhile. */
	public void stopAsync(String part) {
		this.running.get(part).destroy();
	}

	/** Waits for a part that was sent SIGTERM to exit. */
	public void awaitStopped(String part) {
		Process process = this.running.remove(part);
		try {
			if (!process.waitFor(90, TimeUnit.SECONDS)) {
				throw new IllegalStateException(part + " did not stop within 90 s of SIGTERM");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** SIGKILL: no shutdown hook, nothing flushed. */
	public void kill(String part) {
		Process process = this.running.remove(part);
		process.destroyForcibly();
		try {
			process.waitFor(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Stops every running part whose name starts with {@code prefix}, together. */
	public void stopAll(String prefix) {
		List<String> parts = this.running.keySet().stream().filter((part) -> part.startsWith(prefix)).toList();
		parts.forEach(this::stopAsync);
		parts.forEach(this::awaitStopped);
	}

	/** The process id of the running part. */
	public long pid(String part) {
		return this.running.get(part).pid();
	}

	/** The CPU time the running part has used so far (zero where the OS does not say). */
	public Duration cpu(String part) {
		return this.running.get(part).info().totalCpuDuration().orElse(Duration.ZERO);
	}

	/** The log of the part's current (or last) process. */
	public Path log(String part) {
		return this.logs.get(part);
	}

	/** The logs of every process started so far whose part name starts with this. */
	public List<Path> logs(String prefix) {
		return this.allLogs.stream().filter((log) -> log.getFileName().toString().startsWith(prefix)).toList();
	}

	/** Waits until the part's current log has a line containing {@code text}. */
	public void awaitLog(String part, String text) {
		await(() -> read(log(part)).contains(text), "'" + text + "' in " + part + "'s log");
	}

	/** Stops every part, the services first. */
	@Override
	public void close() {
		List<String> parts = new ArrayList<>(this.running.keySet());
		Collections.reverse(parts);
		for (String part : parts) {
			Process process = this.running.remove(part);
			process.destroy();
			try {
				if (!process.waitFor(60, TimeUnit.SECONDS)) {
					process.destroyForcibly();
				}
			}
			catch (InterruptedException ex) {
				process.destroyForcibly();
				Thread.currentThread().interrupt();
			}
		}
	}

	private Path start(String part, String heap, List<String> arguments) {
		return start(part, List.of(), heap, arguments);
	}

	private Path start(String part, List<String> prefix, String heap, List<String> arguments) {
		Path log = this.directory.resolve(part + "-" + (++this.starts) + ".log");
		List<String> command = new ArrayList<>(prefix);
		command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), heap, "-jar"));
		command.addAll(arguments);
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
		builder.environment()
			.putAll(Map.of("LOCAL_STACK_DATA", this.directory.resolve("data").toString(), "KAFKA_PORT",
					String.valueOf(this.kafkaPort), "KAFKA_CONTROLLER_PORT", String.valueOf(this.controllerPort),
					"MONGO_PORT", String.valueOf(this.mongoPort), "SPRING_KAFKA_BOOTSTRAP_SERVERS", bootstrapServers(),
					"SPRING_MONGODB_URI", mongoUri()));
		try {
			Files.createDirectories(this.directory);
			this.running.put(part, builder.start());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.logs.put(part, log);
		this.allLogs.add(log);
		return log;
	}

	private void requireRunning(String part) {
		Process process = this.running.get(part);
		if (process == null || !process.isAlive()) {
			throw new IllegalStateException(part + " exited while starting; see " + log(part));
		}
	}

	private String jar(String module) {
		Path jar = this.root.resolve(module).resolve("target").resolve(module + "-exec.jar");
		if (!Files.exists(jar)) {
			throw new IllegalStateException(jar + " is missing: build first (make build)");
		}
		return jar.toString();
	}

	private static String read(Path log) {
		try {
			return Files.readString(log);
		}
		catch (IOException ex) {
			return "";
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

	/** Polls {@code condition} until it holds, for at most two minutes. */
	private static void await(BooleanSupplier condition, String what) {
		long deadline = System.nanoTime() + STARTUP.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(what + ": not within " + STARTUP.toMinutes() + " minutes");
			}
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

	private static int freePort() {
		return FreePorts.next();
	}

}
