package dev.labkafka.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.labkafka.processes.SyntheticVideos;
import dev.labkafka.videos.VideoStatus;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The soak test: {@link #CLIENTS} clients, each on its own thread, mix uploads, reads,
 * range reads and deletes of their own videos against the API for a fixed time, then
 * stop. Afterwards, once the worker is done (a bounded wait), every video a client
 * uploaded and did not delete must be there with status {@code success}, and every one it
 * deleted must answer 404. Meanwhile the API's heap and open files are read from its
 * Prometheus endpoint every second, and right after a full collection at a quarter, half,
 * three quarters and the end of the time: flat means the last of these is not much above
 * the first. The figures are reported, not asserted.
 * <p>
 * Answers are counted by status class. A 503 with {@code Retry-After} to an upload is the
 * API refusing more uploads at once: counted apart, and the upload is tried again after
 * the delay it names. Any other 5xx is a failure, as is a 4xx: a client only asks for its
 * own videos, which are there until it deletes them.
 */
final class Soak {

	/** Clients at once. */
	static final int CLIENTS = 16;

	/** The operations and their weights, out of 100. */
	private static final Map<String, Integer> MIX = new LinkedHashMap<>();

	static {
		MIX.put("upload", 8);
		MIX.put("list", 20);
		MIX.put("get", 30);
		MIX.put("range", 36);
		MIX.put("delete", 6);
	}

	/**
	 * The largest video uploaded: the real sample, padded to a random size up to this.
	 */
	private static final int MAX_VIDEO = 512 << 10;

	/** The most bytes a range read asks for. */
	private static final int MAX_RANGE = 64 << 10;

	/** How often the API's heap and open files are read. */
	private static final Duration SAMPLE_EVERY = Duration.ofSeconds(1);

	/**
	 * The window at the start and at the end of the load whose heap medians are shown.
	 */
	static final Duration WINDOW = Duration.ofSeconds(15);

	/**
	 * The last full collection under load is this long before the clients stop; the
	 * others are at a quarter, half and three quarters of the time.
	 */
	private static final long MARK_BEFORE_END = Duration.ofSeconds(2).toNanos();

	/**
	 * Flat heap: after the last full collection under load, at most this much above the
	 * first.
	 */
	static final double HEAP_GROWTH = 1.2;

	/** Flat open files: at most this many more at the last mark than at the first. */
	static final int FILES_GROWTH = 20;

	private static final String BOUNDARY = "----soak-boundary";

	private static final Pattern HEAP = Pattern.compile("^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*\\} (\\S+)$",
			Pattern.MULTILINE);

	private static final Pattern FILES = Pattern.compile("^process_files_open_files(?:\\{[^}]*\\})? (\\S+)$",
			Pattern.MULTILINE);

	private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private final String base;

	private final long apiPid;

	private final Duration duration;

	private final Duration drain;

	/**
	 * Answers per operation and class: {@code 2xx}... {@code 5xx}, {@code refused} (503
	 * with {@code Retry-After} to an upload), {@code error} (no answer).
	 */
	private final Map<String, AtomicLong> answers = new ConcurrentHashMap<>();

	/**
	 * What was not as expected (status and problem title, errors, wrong bytes), with how
	 * often.
	 */
	private final Map<String, AtomicLong> problems = new ConcurrentHashMap<>();

	/** Answers other than the one expected, not 5xx: a 200 to a range read, a 404... */
	private final AtomicLong unexpected = new AtomicLong();

	private final AtomicLong badContent = new AtomicLong();

	/**
	 * @param base the API's url
	 * @param apiPid its process id, to ask it for a garbage collection
	 * @param duration how long the clients run
	 * @param drain the longest wait for the worker after the clients stop
	 */
	Soak(String base, long apiPid, Duration duration, Duration drain) {
		this.base = base;
		this.apiPid = apiPid;
		this.duration = duration;
		this.drain = drain;
	}

	Map<String, Object> run() throws Exception {
		// The JVM settles before the first figures: idle, then a full collection.
		Benchmark.pause(Duration.ofSeconds(5));
		boolean collected = collectGarbage();
		Sample before = sample();
		List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
		List<Sample> marks = Collections.synchronizedList(new ArrayList<>());
		ExecutorService threads = Executors.newFixedThreadPool(CLIENTS + 1);
		long start = System.nanoTime();
		long end = start + this.duration.toNanos();
		List<Long> markTimes = new ArrayList<>(List.of(start + this.duration.toNanos() / 4,
				start + this.duration.toNanos() / 2, start + this.duration.toNanos() * 3 / 4, end - MARK_BEFORE_END));
		Future<?> sampling = threads.submit(() -> {
			while (System.nanoTime() < end) {
				boolean mark = !markTimes.isEmpty() && System.nanoTime() >= markTimes.get(0);
				if (mark) {
					markTimes.remove(0);
					collectGarbage();
				}
				Sample sample = sampleOrNull();
				if (sample != null) {
					sample = sample.at((System.nanoTime() - start) / 1e9);
					samples.add(sample);
					if (mark) {
						marks.add(sample);
					}
				}
				Benchmark.pause(SAMPLE_EVERY);
			}
		});
		List<Future<Client>> clients = startClients(threads, end);
		List<Client> done = new ArrayList<>();
		for (Future<Client> client : clients) {
			done.add(client.get());
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		sampling.get();
		threads.shutdown();
		// The clients' HTTP client, now unreachable, closes its connections once
		// collected.
		System.gc();
		Benchmark.log("Soak: %d clients for %.0f s; waiting for the worker".formatted(CLIENTS, seconds));

		Map<String, Long> kept = new LinkedHashMap<>();
		List<String> deleted = new ArrayList<>();
		for (Client client : done) {
			kept.putAll(client.videos);
			deleted.addAll(client.deleted);
		}
		long drainStart = System.nanoTime();
		Map<String, Integer> outcome = awaitVideos(kept.keySet());
		double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
		int stillThere = 0;
		for (String id : deleted) {
			if (videoAnswer(id) != 404) {
				stillThere++;
			}
		}
		Benchmark.pause(Duration.ofSeconds(5));
		collected &= collectGarbage();
		Sample after = sample();

		Map<String, Object> result = new LinkedHashMap<>();
		result.put("date", Instant.now().toString());
		result.put("cores", Runtime.getRuntime().availableProcessors());
		result.put("clients", CLIENTS);
		result.put("seconds", seconds);
		result.put("mix", MIX);
		result.put("requests", count(""));
		result.put("perSecond", count("") / seconds);
		result.put("byClass", byClass());
		result.put("byOperation", byOperation());
		result.put("fiveHundreds", count("5xx"));
		result.put("refusedByCap", count("refused"));
		result.put("otherFailures", this.unexpected.get() + count("error") + this.badContent.get());
		result.put("badContent", this.badContent.get());
		result.put("problems", new TreeMap<>(this.problems));
		result.put("uploaded", kept.size() + deleted.size());
		result.put("deleted", deleted.size());
		result.put("kept", kept.size());
		result.put("keptOutcome", outcome);
		int lost = kept.size() - outcome.getOrDefault(VideoStatus.SUCCESS.word(), 0);
		result.put("lost", lost);
		result.put("deletedStillThere", stillThere);
		result.put("drainSeconds", drainSeconds);
		result.put("drainLimitSeconds", this.drain.toSeconds());
		result.put("heap", heap(before, samples, marks, after, collected));
		result.put("openFiles", openFiles(before, samples, marks, after));
		result.put("samples", samples.stream().map(Sample::asMap).toList());
		return result;
	}

	/**
	 * Starts the clients, sharing an HTTP client of their own (a pool of connections, as
	 * many browsers would have).
	 */
	private List<Future<Client>> startClients(ExecutorService threads, long end) {
		HttpClient load = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
		List<Future<Client>> clients = new ArrayList<>();
		for (int i = 0; i < CLIENTS; i++) {
			Client client = new Client(i);
			clients.add(threads.submit(() -> client.run(end, load)));
		}
		return clients;
	}

	/**
	 * Waits, at most {@link #drain}, until every video is {@code success} or
	 * {@code failed}; returns how many ended how: a status, or {@code missing} (404).
	 */
	private Map<String, Integer> awaitVideos(Set<String> ids) {
		Map<String, String> last = new LinkedHashMap<>();
		List<String> waiting = new ArrayList<>(ids);
		long deadline = System.nanoTime() + this.drain.toNanos();
		while (true) {
			List<String> next = new ArrayList<>();
			for (String id : waiting) {
				String status = status(id);
				last.put(id, status);
				if (!VideoStatus.SUCCESS.word().equals(status) && !VideoStatus.FAILED.word().equals(status)) {
					next.add(id);
				}
			}
			waiting = next;
			if (waiting.isEmpty() || System.nanoTime() > deadline) {
				break;
			}
			Benchmark.pause(Duration.ofSeconds(1));
		}
		Map<String, Integer> outcome = new TreeMap<>();
		last.values().forEach((status) -> outcome.merge(status, 1, Integer::sum));
		return outcome;
	}

	/** The video's status; {@code missing} on 404, {@code unknown} when not answered. */
	private String status(String id) {
		try {
			HttpResponse<String> response = this.http.send(
					HttpRequest.newBuilder(video(id)).timeout(Duration.ofSeconds(30)).build(),
					HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() == 404) {
				return "missing";
			}
			if (response.statusCode() != 200) {
				return "unknown";
			}
			return json.readTree(response.body()).get("status").asString();
		}
		catch (IOException ex) {
			return "unknown";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private int videoAnswer(String id) {
		try {
			return this.http
				.send(HttpRequest.newBuilder(video(id)).timeout(Duration.ofSeconds(30)).build(),
						HttpResponse.BodyHandlers.discarding())
				.statusCode();
		}
		catch (IOException ex) {
			return -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private URI video(String id) {
		return URI.create(this.base + "/v1/videos/" + id);
	}

	/**
	 * Asks the API for a full collection with {@code jcmd}, so that the heap figure is
	 * what is live; false where it cannot.
	 */
	private boolean collectGarbage() {
		Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
		if (!Files.isExecutable(jcmd)) {
			return false;
		}
		try {
			Process process = new ProcessBuilder(jcmd.toString(), Long.toString(this.apiPid), "GC.run")
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private @Nullable Sample sampleOrNull() {
		try {
			return sample();
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	/** The API's heap in use and open files now, from its Prometheus endpoint. */
	private Sample sample() {
		try {
			String metrics = this.http
				.send(HttpRequest.newBuilder(URI.create(this.base + "/actuator/prometheus"))
					.timeout(Duration.ofSeconds(10))
					.build(), HttpResponse.BodyHandlers.ofString())
				.body();
			long heap = 0;
			Matcher matcher = HEAP.matcher(metrics);
			while (matcher.find()) {
				heap += (long) Double.parseDouble(matcher.group(1));
			}
			Matcher files = FILES.matcher(metrics);
			long open = files.find() ? (long) Double.parseDouble(files.group(1)) : -1;
			return new Sample(0, heap, open);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private Map<String, Object> heap(Sample before, List<Sample> samples, List<Sample> marks, Sample after,
			boolean collected) {
		double seconds = this.duration.toSeconds();
		List<Double> first = samples.stream()
			.filter((sample) -> sample.second() <= WINDOW.toSeconds())
			.map((sample) -> (double) sample.heap())
			.toList();
		List<Double> last = samples.stream()
			.filter((sample) -> sample.second() >= seconds - WINDOW.toSeconds())
			.map((sample) -> (double) sample.heap())
			.toList();
		Map<String, Object> heap = new LinkedHashMap<>();
		heap.put("afterFullGc", collected);
		heap.put("start", before.heap());
		heap.put("end", after.heap());
		heap.put("max", samples.stream().mapToLong(Sample::heap).max().orElse(0));
		heap.put("firstWindowMedian", first.isEmpty() ? 0 : (long) Stats.percentile(first, 50));
		heap.put("lastWindowMedian", last.isEmpty() ? 0 : (long) Stats.percentile(last, 50));
		heap.put("marks", marks.stream().map(Sample::asMap).toList());
		heap.put("flat", marks.size() >= 2 && marks.get(marks.size() - 1).heap() <= HEAP_GROWTH * marks.get(0).heap());
		return heap;
	}

	private static Map<String, Object> openFiles(Sample before, List<Sample> samples, List<Sample> marks,
			Sample after) {
		Map<String, Object> files = new LinkedHashMap<>();
		files.put("start", before.openFiles());
		files.put("end", after.openFiles());
		files.put("max", samples.stream().mapToLong(Sample::openFiles).max().orElse(0));
		files.put("firstMark", marks.isEmpty() ? -1 : marks.get(0).openFiles());
		files.put("lastMark", marks.isEmpty() ? -1 : marks.get(marks.size() - 1).openFiles());
		files.put("flat", marks.size() >= 2 && marks.get(0).openFiles() >= 0
				&& marks.get(marks.size() - 1).openFiles() <= marks.get(0).openFiles() + FILES_GROWTH);
		return files;
	}

	/** Answers of this class (of all when empty), over every operation. */
	private long count(String kind) {
		return this.answers.entrySet()
			.stream()
			.filter((entry) -> kind.isEmpty() || entry.getKey().endsWith("." + kind))
			.mapToLong((entry) -> entry.getValue().get())
			.sum();
	}

	private Map<String, Long> byClass() {
		Map<String, Long> classes = new TreeMap<>();
		this.answers
			.forEach((key, value) -> classes.merge(key.substring(key.indexOf('.') + 1), value.get(), Long::sum));
		return classes;
	}

	private Map<String, Map<String, Long>> byOperation() {
		Map<String, Map<String, Long>> operations = new LinkedHashMap<>();
		MIX.keySet().forEach((operation) -> operations.put(operation, new TreeMap<>()));
		this.answers.forEach((key, value) -> operations.get(key.substring(0, key.indexOf('.')))
			.put(key.substring(key.indexOf('.') + 1), value.get()));
		return operations;
	}

	private void answered(String operation, String kind) {
		this.answers.computeIfAbsent(operation + "." + kind, (key) -> new AtomicLong()).incrementAndGet();
	}

	/**
	 * Counts an answer by class, and one that is not the status expected with its title.
	 * Returns whether it was the one expected.
	 */
	private boolean answered(String operation, HttpResponse<?> response, int expected) {
		int status = response.statusCode();
		answered(operation, (status >= 100 && status < 600) ? (status / 100) + "xx" : "other");
		if (status == expected) {
			return true;
		}
		if (status < 500) {
			this.unexpected.incrementAndGet();
		}
		problem(operation + " " + status + " " + title(response));
		return false;
	}

	private void problem(String what) {
		this.problems.computeIfAbsent(what, (key) -> new AtomicLong()).incrementAndGet();
	}

	private static String title(HttpResponse<?> response) {
		if (response.body() instanceof String body) {
			try {
				JsonNode title = json.readTree(body).get("title");
				return (title != null) ? title.asString() : "";
			}
			catch (RuntimeException ex) {
				return "";
			}
		}
		return "";
	}

	/** The bytes of the synthetic video of this size from {@code from}, this many. */
	private static byte[] expected(long size, long from, int length) {
		try (InputStream in = SyntheticVideos.mp4(size)) {
			in.skipNBytes(from);
			return in.readNBytes(length);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** One client: its own videos, its own random mix. */
	private final class Client {

		private final Random random;

		/** Its videos not deleted, with their sizes. */
		private final Map<String, Long> videos = new LinkedHashMap<>();

		private final List<String> ids = new ArrayList<>();

		private final List<String> deleted = new ArrayList<>();

		/** Its HTTP client while it runs. */
		private @Nullable HttpClient http;

		Client(int number) {
			this.random = new Random(number);
		}

		Client run(long end, HttpClient http) {
			this.http = http;
			try {
				work(end);
			}
			finally {
				this.http = null;
			}
			return this;
		}

		private void work(long end) {
			while (System.nanoTime() < end) {
				String operation = pick();
				try {
					switch (operation) {
						case "upload" -> upload(end);
						case "list" -> list();
						case "get" -> get();
						case "range" -> range();
						default -> delete();
					}
				}
				catch (IOException ex) {
					answered(operation, "error");
					problem(operation + " " + ex.getClass().getSimpleName());
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}

		/** An operation by its weight; one on a video uploads first when it has none. */
		private String pick() {
			int roll = this.random.nextInt(100);
			for (Map.Entry<String, Integer> operation : MIX.entrySet()) {
				roll -= operation.getValue();
				if (roll < 0) {
					boolean needsVideo = !operation.getKey().equals("upload") && !operation.getKey().equals("list");
					return (needsVideo && this.ids.isEmpty()) ? "upload" : operation.getKey();
				}
			}
			throw new IllegalStateException("The mix does not add up to 100");
		}

		private void upload(long end) throws IOException, InterruptedException {
			long size = SyntheticVideos.sample().length + 16
					+ this.random.nextInt(MAX_VIDEO - SyntheticVideos.sample().length - 16);
			ByteArrayOutputStream body = new ByteArrayOutputStream();
			body.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"soak.mp4\""
					+ "\r\nContent-Type: video/mp4\r\n\r\n")
				.getBytes(StandardCharsets.ISO_8859_1));
			try (InputStream video = SyntheticVideos.mp4(size)) {
				video.transferTo(body);
			}
			body.write(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
			HttpRequest request = HttpRequest.newBuilder(URI.create(Soak.this.base + "/v1/videos"))
				.header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
				.timeout(Duration.ofMinutes(2))
				.POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
				.build();
			while (true) {
				HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString());
				String retryAfter = response.headers().firstValue("Retry-After").orElse(null);
				if (response.statusCode() == 503 && retryAfter != null) {
					// Refused by the cap on uploads at once: again after the delay.
					answered("upload", "refused");
					problem("upload 503 (Retry-After) " + title(response));
					long wait = retryAfter(retryAfter).toNanos();
					if (System.nanoTime() + wait >= end) {
						return;
					}
					Thread.sleep(wait / 1_000_000);
					continue;
				}
				if (answered("upload", response, 201)) {
					String id = json.readTree(response.body()).get("id").asString();
					this.videos.put(id, size);
					this.ids.add(id);
				}
				return;
			}
		}

		/**
		 * The delay a {@code Retry-After} names in seconds, at most 10 s; 1 s for a date.
		 */
		private static Duration retryAfter(String value) {
			try {
				return Duration.ofSeconds(Math.min(Math.max(Long.parseLong(value.trim()), 0), 10));
			}
			catch (NumberFormatException ex) {
				return Duration.ofSeconds(1);
			}
		}

		private void list() throws IOException, InterruptedException {
			answered("list", send(URI.create(Soak.this.base + "/v1/videos?limit=20")), 200);
		}

		private void get() throws IOException, InterruptedException {
			String id = any();
			HttpResponse<String> response = send(video(id));
			if (answered("get", response, 200) && !id.equals(json.readTree(response.body()).get("id").asString())) {
				Soak.this.badContent.incrementAndGet();
				problem("get: another video's id");
			}
		}

		private void range() throws IOException, InterruptedException {
			String id = any();
			long size = this.videos.get(id);
			long from = (long) (this.random.nextDouble() * size);
			int length = (int) Math.min(size - from, 1 + this.random.nextInt(MAX_RANGE));
			long to = from + length - 1;
			HttpResponse<byte[]> response = send(
					HttpRequest.newBuilder(URI.create(Soak.this.base + "/v1/videos/" + id + "/content"))
						.header("Range", "bytes=" + from + "-" + to)
						.timeout(Duration.ofSeconds(30))
						.build(),
					HttpResponse.BodyHandlers.ofByteArray());
			if (answered("range", response, 206)) {
				Matcher range = CONTENT_RANGE.matcher(response.headers().firstValue("Content-Range").orElse(""));
				boolean right = range.matches() && Long.parseLong(range.group(1)) == from
						&& Long.parseLong(range.group(2)) == to && Long.parseLong(range.group(3)) == size
						&& Arrays.equals(response.body(), expected(size, from, length));
				if (!right) {
					Soak.this.badContent.incrementAndGet();
					problem("range: wrong bytes or Content-Range");
				}
			}
		}

		private void delete() throws IOException, InterruptedException {
			String id = any();
			HttpResponse<String> response = send(
					HttpRequest.newBuilder(video(id)).DELETE().timeout(Duration.ofSeconds(30)).build(),
					HttpResponse.BodyHandlers.ofString());
			if (answered("delete", response, 200)) {
				this.videos.remove(id);
				this.ids.remove(id);
				this.deleted.add(id);
			}
		}

		/** One of its videos, the newer ones more often. */
		private String any() {
			int count = this.ids.size();
			int newest = Math.min(count, 8);
			int index = this.random.nextBoolean() ? count - 1 - this.random.nextInt(newest)
					: this.random.nextInt(count);
			return this.ids.get(index);
		}

		private HttpResponse<String> send(URI uri) throws IOException, InterruptedException {
			return send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
					HttpResponse.BodyHandlers.ofString());
		}

		private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body)
				throws IOException, InterruptedException {
			return Objects.requireNonNull(this.http).send(request, body);
		}

	}

	/** The API's heap in use and open files, {@code second}s into the load. */
	private record Sample(double second, long heap, long openFiles) {

		Sample at(double second) {
			return new Sample(second, this.heap, this.openFiles);
		}

		Map<String, Object> asMap() {
			return Map.of("second", Math.round(this.second * 10) / 10.0, "heap", this.heap, "openFiles",
					this.openFiles);
		}

	}

}
