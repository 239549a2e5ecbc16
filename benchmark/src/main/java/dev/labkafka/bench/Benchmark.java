package dev.labkafka.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.gridfs.GridFSBucket;
import com.mongodb.client.gridfs.GridFSBuckets;
import dev.labkafka.messages.Topics;
import dev.labkafka.processes.LocalPipeline;
import dev.labkafka.processes.PipelineClient;
import dev.labkafka.processes.SyntheticVideos;
import dev.labkafka.stream.media.MediaProcess;
import dev.labkafka.stream.media.MediaTools;
import dev.labkafka.videos.VideoStatus;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;
import org.bson.types.ObjectId;

/**
 * {@code make bench}: starts the pipeline as {@code make run} does and measures it
 * through its public API only, then writes a report (Markdown, a chart and the raw
 * figures as JSON). The figures are reported, not asserted.
 * <p>
 * Options: {@code --quick} (a small run of a few minutes, for CI; a 15 s soak),
 * {@code --videos N} (batch size, default 100), {@code --uploads N} (1 MB uploads,
 * default 256), {@code --big-upload-mb N} (default 512), {@code --memory-upload-mb N}
 * (default 1024), {@code --soak-seconds N} (how long the soak test's clients run, default
 * 60), {@code --out DIR} (where the report goes, default {@code docs}),
 * {@code --report-only} (writes the report again from the figures in
 * {@code DIR/benchmarks/results.json}, after {@code DIR/benchmarks/analysis.md} was
 * edited, without measuring), {@code --soak-only} (runs the soak test alone and writes
 * its figures into that report, keeping the others), {@code --scale-only} (the same for
 * the batches with 1, 2 and 4 workers), {@code --latency-only} (the same for the first
 * video after ready and five after it, with where their time went),
 * {@code --uploads-only} (the same for the upload path: 1 MB uploads, the big upload by
 * multipart, tus and straight into GridFS), {@code --ffmpeg-only} (the same for the real
 * renditions), {@code --segments-only} (the same for a long video in segments, see
 * {@link SegmentBench}; its clip lasts {@code --segments-clip-seconds N}, default 180, in
 * segments of {@code --segments-length N} seconds, default 20).
 */
public final class Benchmark {

	private final Options options;

	private final Map<String, Object> results = new LinkedHashMap<>();

	private Benchmark(Options options) {
		this.options = options;
	}

	public static void main(String[] args) throws Exception {
		Options options;
		try {
			options = Options.parse(args);
		}
		catch (IllegalArgumentException ex) {
			System.err.println("bench: " + ex.getMessage());
			System.exit(2);
			return;
		}
		if (List.of(args).contains("--report-only")) {
			Report.rewrite(options);
			return;
		}
		if (List.of(args).contains("--scale-only")) {
			new Benchmark(options).scaleOnly();
			return;
		}
		if (List.of(args).contains("--ffmpeg-only")) {
			new Benchmark(options).ffmpegOnly();
			return;
		}
		if (List.of(args).contains("--latency-only")) {
			new Benchmark(options).latencyOnly();
			return;
		}
		if (List.of(args).contains("--segments-only")) {
			new Benchmark(options).segmentsOnly();
			return;
		}
		if (List.of(args).contains("--soak-only")) {
			new Benchmark(options).soakOnly();
			return;
		}
		if (List.of(args).contains("--soak-after-uploads")) {
			new Benchmark(options).soakAfterUploads();
			return;
		}
		if (List.of(args).contains("--uploads-only")) {
			new Benchmark(options).uploadsOnly();
			return;
		}
		new Benchmark(options).run();
	}

	record Options(boolean quick, int videos, Duration transcode, int smallUploads, long bigUpload, long memoryUpload,
			Duration soak, Path out, Path root, int segmentsClipSeconds, int segmentSeconds) {

		static Options parse(String[] args) {
			boolean quick = List.of(args).contains("--quick");
			int videos = quick ? 4 : 100;
			int uploads = quick ? 32 : 256;
			long bigUpload = quick ? 64L << 20 : 512L << 20;
			long memoryUpload = quick ? 128L << 20 : 1L << 30;
			Duration soak = Duration.ofSeconds(quick ? 15 : 60);
			Path out = quick ? Path.of("target", "bench-quick") : Path.of("docs");
			int segmentsClip = 180;
			int segmentSeconds = 20;
			for (int i = 0; i < args.length - 1; i++) {
				switch (args[i]) {
					case "--videos" -> videos = Integer.parseInt(args[i + 1]);
					case "--uploads" -> uploads = Integer.parseInt(args[i + 1]);
					case "--big-upload-mb" -> bigUpload = Long.parseLong(args[i + 1]) << 20;
					case "--memory-upload-mb" -> memoryUpload = Long.parseLong(args[i + 1]) << 20;
					case "--soak-seconds" -> soak = Duration.ofSeconds(Long.parseLong(args[i + 1]));
					case "--out" -> out = Path.of(args[i + 1]);
					case "--segments-clip-seconds" -> segmentsClip = Integer.parseInt(args[i + 1]);
					case "--segments-length" -> segmentSeconds = Integer.parseInt(args[i + 1]);
					default -> {
					}
				}
			}
			if (segmentSeconds < 2 || segmentSeconds % 2 != 0) {
				throw new IllegalArgumentException(
						"--segments-length must be a multiple of 2 (the keyframe interval): " + segmentSeconds);
			}
			return new Options(quick, videos, quick ? Duration.ofMillis(500) : Duration.ofSeconds(3), uploads,
					bigUpload, memoryUpload, soak, out, Path.of("."), segmentsClip, segmentSeconds);
		}

	}

	/**
	 * How many rounds of the big upload (through the API, and straight into GridFS) are
	 * counted, after the warm-up rounds.
	 */
	private static final int BIG_UPLOAD_ROUNDS = 5;

	/**
	 * The big upload's rounds made before those counted, while the JIT compiler is still
	 * compiling these paths (measured in the API): their upload rates are reported apart,
	 * their reads and CPU seconds dropped.
	 */
	private static final int BIG_UPLOAD_WARM_UP_ROUNDS = 2;

	private void run() throws Exception {
		Path work = this.options.root().resolve("target").resolve("bench-" + System.currentTimeMillis());
		Files.createDirectories(work);
		log("Benchmark " + (this.options.quick() ? "(quick) " : "") + "of " + this.options.videos()
				+ " videos, transcode " + this.options.transcode().toMillis() + " ms; processes and logs in " + work);
		this.results.put("machine", Machine.describe());
		this.results.put("options", Map.of("quick", this.options.quick(), "videos", this.options.videos(),
				"transcodeMs", this.options.transcode().toMillis()));
		try (LocalPipeline stack = new LocalPipeline(this.options.root(), work)) {
			stack.startInfrastructure();
			PipelineClient client = latency(stack);
			scaleOut(stack, client);
			startWorkers(stack, 1, 1);
			this.results.put("batch_c1_1worker", batch(client, 1, 1));
			stack.stopAll("stream");
			ffmpeg(client, stack, work);
			// The upload path is measured on the API alone: no worker probes the uploads
			// meanwhile.
			stack.stopAll("stream");
			uploads(client, stack);
			stack.stop(LocalPipeline.API);
			stack.startApi("-Xmx256m");
			memory(new PipelineClient(stack.apiUrl()));
			stack.stop(LocalPipeline.API);
			soak(stack);
			if (!this.options.quick()) {
				stack.startApi("-Xmx512m");
				segments(stack, work);
				stack.stop(LocalPipeline.API);
			}
		}
		new Report(this.options, this.results).write();
		log("Report written to " + this.options.out());
		removeStores(work);
	}

	/**
	 * The soak test alone, on a pipeline of its own; its figures replace those of the
	 * last soak in the report, and the other figures stay as they were measured.
	 */
	private void soakOnly() throws Exception {
		partOnly("Soak test alone, " + this.options.soak().toSeconds() + " s", this::soak);
	}

	/**
	 * How much is uploaded and deleted between the two soaks of
	 * {@link #soakAfterUploads}.
	 */
	private static final long CHURN = 5L << 30;

	/**
	 * Whether the local stack stays fast after gigabytes: the soak on a fresh stack, then
	 * a 1 GB video kept and {@link #CHURN} uploaded and deleted through the API in 512 MB
	 * videos (what a day of trying the pipeline with phone videos does), then the same
	 * soak again; with the size of the MongoDB-wire server's store on disk against the
	 * bytes the kept videos hold, after each step. Its figures replace the soak's in the
	 * report, the others stay as they were measured.
	 */
	private void soakAfterUploads() throws Exception {
		partOnly("The soak on a fresh stack, then after " + (CHURN >> 30) + " GB uploaded and deleted", (stack) -> {
			Path store = stack.log(LocalPipeline.MONGO).getParent().resolve("data");
			Map<String, Object> result = new LinkedHashMap<>();
			result.put("storeBytesFresh", Proc.directorySize(store));
			soak(stack);
			@SuppressWarnings("unchecked")
			Map<String, Object> fresh = (Map<String, Object>) this.results.get("soak");
			result.put("storeBytesAfterFreshSoak", Proc.directorySize(store));
			stack.startApi("-Xmx512m");
			PipelineClient client = new PipelineClient(stack.apiUrl());
			long churned = 0;
			long begin = System.nanoTime();
			client.upload(1L << 30);
			while (churned < CHURN) {
				client.delete(client.upload(512L << 20));
				churned += 512L << 20;
			}
			result.put("churnSeconds", (System.nanoTime() - begin) / 1e9);
			stack.stop(LocalPipeline.API);
			result.put("storeBytesAfterChurn", Proc.directorySize(store));
			soak(stack);
			@SuppressWarnings("unchecked")
			Map<String, Object> after = (Map<String, Object>) this.results.get("soak");
			result.put("storeBytesAfterSecondSoak", Proc.directorySize(store));
			result.put("keptBytes", storedBytes(stack));
			long stopping = System.nanoTime();
			stack.stop(LocalPipeline.MONGO);
			result.put("storeStopSeconds", (System.nanoTime() - stopping) / 1e9);
			result.put("storeBytesAfterStop", Proc.directorySize(store));
			result.put("churnBytes", churned);
			result.put("freshPerSecond", fresh.get("perSecond"));
			result.put("afterPerSecond", after.get("perSecond"));
			result.put("ratio", Report.number(after, "perSecond") / Report.number(fresh, "perSecond"));
			this.results.put("soak_after_uploads", result);
			log("Soak fresh %.1f/s, after %d GB uploaded and deleted %.1f/s (%.2fx); store on disk %s".formatted(
					Report.number(fresh, "perSecond"), CHURN >> 30, Report.number(after, "perSecond"),
					(double) result.get("ratio"), result));
		});
	}

	/** The bytes the store's GridFS files hold, every bucket. */
	private static long storedBytes(LocalPipeline stack) {
		try (MongoClient mongo = MongoClients.create(stack.mongoUri())) {
			var database = mongo.getDatabase("nthu_distributed_system");
			long bytes = 0;
			for (String collection : database.listCollectionNames()) {
				if (collection.endsWith(".files")) {
					for (org.bson.Document file : database.getCollection(collection).find()) {
						bytes += ((Number) file.get("length")).longValue();
					}
				}
			}
			return bytes;
		}
	}

	/**
	 * The upload path alone (see {@link #uploads}), on a pipeline of its own with no
	 * worker; its figures replace those in the report.
	 */
	private void uploadsOnly() throws Exception {
		partOnly("The upload path alone", (stack) -> {
			stack.startApi("-Xmx512m");
			// A worker makes the topics the API announces on, as in the full run; the
			// upload path is then measured without one.
			startWorkers(stack, 1, 1);
			stack.stopAll("stream");
			uploads(new PipelineClient(stack.apiUrl()), stack);
			stack.stop(LocalPipeline.API);
		});
	}

	/**
	 * The batch with 1, 2 and 4 workers alone, on a pipeline of its own; their figures
	 * replace those in the report, and the other figures stay as they were measured.
	 */
	private void scaleOnly() throws Exception {
		partOnly("Batches of " + this.options.videos() + " videos with 1, 2 and 4 workers", (stack) -> {
			stack.startApi("-Xmx512m");
			scaleOut(stack, new PipelineClient(stack.apiUrl()));
			stack.stop(LocalPipeline.API);
		});
	}

	/**
	 * The real renditions alone (see {@link #ffmpeg}), on a pipeline of its own; their
	 * figures replace those in the report, and the other figures stay as they were
	 * measured.
	 */
	private void ffmpegOnly() throws Exception {
		partOnly("Real renditions (ffmpeg) alone", (stack) -> {
			stack.startApi("-Xmx512m");
			Path work = Files.createTempDirectory(this.options.root().resolve("target"), "bench-ffmpeg-");
			ffmpeg(new PipelineClient(stack.apiUrl()), stack, work);
			stack.stop(LocalPipeline.API);
		});
	}

	/**
	 * A long video in segments alone (see {@link SegmentBench}), on a pipeline of its
	 * own; its figures replace those in the report, the others stay as they were
	 * measured.
	 */
	/**
	 * The first video after the API and a worker report ready, and five after it, alone,
	 * on a pipeline of its own; their figures replace those in the report.
	 */
	private void latencyOnly() throws Exception {
		partOnly("The first video and the next five", (stack) -> {
			latency(stack);
			stack.stop(LocalPipeline.API);
		});
	}

	/**
	 * Starts the API and a worker, and measures the first video after they report ready
	 * and the five after it ({@link #firstVideo}, {@link #singleVideo}); the worker is
	 * stopped after them, the API left running.
	 * @return a client of the API
	 */
	private PipelineClient latency(LocalPipeline stack) throws IOException {
		stack.startApi("-Xmx512m");
		// Ready, as make run says it, not yet settled: what the first user meets.
		startReadyWorkers(stack, 1, 4);
		PipelineClient client = new PipelineClient(stack.apiUrl());
		firstVideo(stack, client);
		singleVideo(stack, client);
		stack.stopAll("stream");
		return client;
	}

	private void segmentsOnly() throws Exception {
		partOnly("A long video in segments, " + this.options.segmentsClipSeconds() + " s of 1080p", (stack) -> {
			stack.startApi("-Xmx512m");
			segments(stack, Files.createTempDirectory(this.options.root().resolve("target"), "bench-segments-"));
			stack.stop(LocalPipeline.API);
		});
	}

	private void segments(LocalPipeline stack, Path work) throws Exception {
		this.results.put("segments",
				new SegmentBench(stack, work, this.options.segmentsClipSeconds(), this.options.segmentSeconds()).run());
	}

	private void partOnly(String what, Part part) throws Exception {
		Path work = this.options.root().resolve("target").resolve("bench-" + System.currentTimeMillis());
		Files.createDirectories(work);
		log(what + "; processes and logs in " + work);
		Options reported = this.options;
		Path measured = this.options.out().resolve("benchmarks").resolve("results.json");
		if (Files.exists(measured)) {
			this.results.putAll(Report.read(measured));
			reported = Report.asMeasured(this.options, this.results);
		}
		else {
			this.results.put("machine", Machine.describe());
			this.results.put("options", Map.of("quick", this.options.quick(), "videos", this.options.videos(),
					"transcodeMs", this.options.transcode().toMillis()));
		}
		try (LocalPipeline stack = new LocalPipeline(this.options.root(), work)) {
			stack.startInfrastructure();
			part.run(stack);
		}
		new Report(reported, this.results).write();
		log("Report written to " + this.options.out());
		removeStores(work);
	}

	/**
	 * Removes the stores of a run that ended (MongoDB's and Kafka's, a few GB after the
	 * big uploads), so that runs do not fill the disk; its logs stay. Made after the
	 * report is written: stores that cannot be removed are only logged.
	 */
	private static void removeStores(Path work) {
		Path data = work.resolve("data");
		if (!Files.exists(data)) {
			return;
		}
		try (var paths = Files.walk(data)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(path);
			}
			log("Removed the run's stores in " + data);
		}
		catch (IOException ex) {
			log("Could not remove the run's stores in " + data + " (" + ex + "): remove them by hand");
		}
	}

	/** A part of the benchmark, on a pipeline whose infrastructure is running. */
	private interface Part {

		void run(LocalPipeline stack) throws Exception;

	}

	/**
	 * The batch with 1, 2 and 4 workers of concurrency 4 (the default): how throughput
	 * grows with worker processes. Leaves no worker running.
	 */
	private void scaleOut(LocalPipeline stack, PipelineClient client) throws Exception {
		startWorkers(stack, 1, 4);
		this.results.put("batch_c4_1worker", batch(client, 4, 1));
		stack.stopAll("stream");
		startWorkers(stack, 2, 4);
		this.results.put("batch_c4_2workers", batch(client, 4, 2));
		stack.stopAll("stream");
		startWorkers(stack, 4, 4);
		this.results.put("batch_c4_4workers", batch(client, 4, 4));
		stack.stopAll("stream");
	}

	/** The mock transcode time of the soak test's worker: short, so that it keeps up. */
	private static final Duration SOAK_TRANSCODE = Duration.ofMillis(200);

	/**
	 * The soak test (see {@link Soak}) on an API and a worker started as {@code make run}
	 * starts them, but with a short mock transcode; stops them after.
	 */
	private void soak(LocalPipeline stack) throws Exception {
		stack.startApi("-Xmx512m");
		stack.startWorker("stream-soak", "-Xmx512m",
				"--video.stream.transcode-time=" + SOAK_TRANSCODE.toMillis() + "ms");
		Duration drain = Duration.ofSeconds(this.options.quick() ? 60 : 180);
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("transcodeMs", SOAK_TRANSCODE.toMillis());
		result.put("apiHeapMax", "512m");
		result.putAll(new Soak(stack.apiUrl(), stack.pid(LocalPipeline.API), this.options.soak(), drain).run());
		this.results.put("soak", result);
		stack.stop("stream-soak");
		stack.stop(LocalPipeline.API);
		@SuppressWarnings("unchecked")
		Map<String, Object> heap = (Map<String, Object>) result.get("heap");
		@SuppressWarnings("unchecked")
		Map<String, Object> files = (Map<String, Object>) result.get("openFiles");
		log(("Soak: %s requests (%.0f/s) by class %s; 5xx %s, refused by the upload cap %s; %s uploaded, %s deleted, "
				+ "lost %s, deleted still there %s; heap %d -> %d MB (flat: %s), open files %s -> %s (flat: %s)")
			.formatted(result.get("requests"), result.get("perSecond"), result.get("byClass"),
					result.get("fiveHundreds"), result.get("refusedByCap"), result.get("uploaded"),
					result.get("deleted"), result.get("lost"), result.get("deletedStillThere"),
					((Number) heap.get("start")).longValue() >> 20, ((Number) heap.get("end")).longValue() >> 20,
					heap.get("flat"), files.get("start"), files.get("end"), files.get("flat")));
	}

	/**
	 * Starts {@code count} workers with this rendition concurrency, and waits until they
	 * are ready.
	 */
	private void startWorkers(LocalPipeline stack, int count, int concurrency) {
		startReadyWorkers(stack, count, concurrency);
		awaitSettled(stack, count * concurrency);
	}

	/** Starts workers with the mock's transcode time, until they report ready. */
	private void startReadyWorkers(LocalPipeline stack, int count, int concurrency) {
		stack.startWorkers(count, "-Xmx384m", "--video.stream.rendition-concurrency=" + concurrency,
				"--video.stream.transcode-time=" + this.options.transcode().toMillis() + "ms");
	}

	/**
	 * Waits until the renditions group has settled: {@code consumers} members, each
	 * holding partitions of the renditions topic. A worker is ready once its consumers
	 * have joined, which may be in the first step of a cooperative rebalance, with no
	 * partition yet; the batch measures the throughput of the workers, not that step.
	 */
	static void awaitSettled(LocalPipeline stack, int consumers) {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
			long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
			while (!settled(admin, consumers)) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("The renditions group did not settle with " + consumers
							+ " consumers each holding partitions");
				}
				pause(Duration.ofMillis(200));
			}
		}
	}

	private static boolean settled(Admin admin, int consumers) {
		try {
			ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(Topics.RENDITIONS_GROUP))
				.describedGroups()
				.get(Topics.RENDITIONS_GROUP)
				.get(5, TimeUnit.SECONDS);
			return group.groupState() == GroupState.STABLE && group.members().size() == consumers
					&& group.members()
						.stream()
						.allMatch((member) -> member.assignment()
							.topicPartitions()
							.stream()
							.anyMatch((partition) -> partition.topic().equals(Topics.RENDITIONS)));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			return false;
		}
	}

	/**
	 * The first video, uploaded as soon as the API and the worker say they are ready, as
	 * a user does after {@code make run}: from the upload's answer to status success.
	 */
	private void firstVideo(LocalPipeline stack, PipelineClient client) throws IOException {
		String id = client.upload(64 << 10);
		long answered = System.nanoTime();
		long answeredAt = System.currentTimeMillis();
		awaitSuccess(client, id);
		double seconds = (System.nanoTime() - answered) / 1e9;
		double floor = this.options.transcode().toMillis() / 1000.0;
		this.results.put("first", Map.of("seconds", seconds, "floor", floor, "ratio", seconds / floor, "timeline",
				timeline(stack, id, answeredAt, seconds)));
		log("First video after ready: %.2f s against a floor of %.1f s".formatted(seconds, floor));
	}

	/**
	 * One video at a time, after the first: from the upload's answer to status success.
	 */
	private void singleVideo(LocalPipeline stack, PipelineClient client) throws IOException {
		List<Double> seconds = new ArrayList<>();
		Map<String, Long> timeline = Map.of();
		for (int i = 0; i < 5; i++) {
			String id = client.upload(64 << 10);
			long answered = System.nanoTime();
			long answeredAt = System.currentTimeMillis();
			awaitSuccess(client, id);
			seconds.add((System.nanoTime() - answered) / 1e9);
			timeline = timeline(stack, id, answeredAt, seconds.get(i));
		}
		double floor = this.options.transcode().toMillis() / 1000.0;
		this.results.put("single",
				Map.of("seconds", seconds, "median", Stats.percentile(seconds, 50), "max", Stats.max(seconds), "floor",
						floor, "ratio", Stats.percentile(seconds, 50) / floor, "timeline", timeline));
		log("Single video: median %.2f s against a floor of %.1f s".formatted(Stats.percentile(seconds, 50), floor));
	}

	/** The video's hops ({@link Timeline}), and when the client saw it done. */
	private static Map<String, Long> timeline(LocalPipeline stack, String id, long answeredAt, double seconds)
			throws IOException {
		Map<String, Long> timeline = new LinkedHashMap<>(
				Timeline.of(stack.bootstrapServers(), id, answeredAt, stack.logs("stream")));
		timeline.put("success seen by the client", Math.round(seconds * 1000));
		return timeline;
	}

	private void awaitSuccess(PipelineClient client, String id) {
		long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
		while (!VideoStatus.SUCCESS.word().equals(client.status(id))) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Video " + id + " did not complete");
			}
			pause(Duration.ofMillis(20));
		}
	}

	/**
	 * N videos uploaded at once: the makespan until all 4N renditions are done, against
	 * the floor ceil(4N / C) x transcode time, where C is the rendition consumers in all.
	 */
	private Map<String, Object> batch(PipelineClient client, int concurrency, int workers) throws Exception {
		int n = this.options.videos();
		int consumers = concurrency * workers;
		Map<String, Long> answered = new ConcurrentHashMap<>();
		long start = System.nanoTime();
		ExecutorService uploaders = Executors.newFixedThreadPool(8);
		List<Future<?>> uploads = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			uploads.add(uploaders.submit(() -> answered.put(client.upload(64 << 10), System.nanoTime())));
		}
		Map<String, Long> fannedOut = new LinkedHashMap<>();
		Map<String, Long> done = new LinkedHashMap<>();
		double floor = Math.ceil(4.0 * n / consumers) * this.options.transcode().toMillis() / 1000.0;
		long deadline = start + Duration.ofSeconds((long) (floor * 3) + 300).toNanos();
		while (done.size() < n) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Batch did not complete: " + done.size() + " of " + n);
			}
			Map<String, String> statuses = client.statuses(n);
			long now = System.nanoTime();
			for (String id : answered.keySet()) {
				String status = statuses.get(id);
				if (VideoStatus.ENCODING.word().equals(status) || VideoStatus.SUCCESS.word().equals(status)) {
					fannedOut.putIfAbsent(id, now);
				}
				if (VideoStatus.SUCCESS.word().equals(status)) {
					done.putIfAbsent(id, now);
				}
			}
			pause(Duration.ofMillis(200));
		}
		for (Future<?> upload : uploads) {
			upload.get();
		}
		uploaders.shutdown();
		double makespan = (done.values().stream().mapToLong(Long::longValue).max().orElseThrow() - start) / 1e9;
		List<Double> completion = done.entrySet()
			.stream()
			.map((entry) -> (entry.getValue() - answered.get(entry.getKey())) / 1e9)
			.toList();
		List<Double> toFanOut = fannedOut.entrySet()
			.stream()
			.map((entry) -> (entry.getValue() - answered.get(entry.getKey())) / 1e9)
			.toList();
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("date", Instant.now().toString());
		result.put("videos", n);
		result.put("concurrency", concurrency);
		result.put("workers", workers);
		result.put("makespan", makespan);
		result.put("floor", floor);
		result.put("floorOverMakespan", floor / makespan);
		result.put("completion", Map.of("p50", Stats.percentile(completion, 50), "p95",
				Stats.percentile(completion, 95), "max", Stats.max(completion)));
		result.put("uploadToFanOut", Map.of("p50", Stats.percentile(toFanOut, 50), "p95",
				Stats.percentile(toFanOut, 95), "max", Stats.max(toFanOut)));
		result.put("completionSeconds", completion);
		log("Batch of %d, %d worker(s) x %d: makespan %.1f s, floor %.1f s".formatted(n, workers, concurrency, makespan,
				floor));
		return result;
	}

	/**
	 * 1 MB uploads from 16 clients; one big upload through the API and straight into
	 * GridFS.
	 */
	private void uploads(PipelineClient client, LocalPipeline stack) throws Exception {
		int total = this.options.smallUploads();
		ExecutorService clients = Executors.newFixedThreadPool(16);
		List<Future<Double>> latencies = new ArrayList<>();
		long start = System.nanoTime();
		for (int i = 0; i < total; i++) {
			latencies.add(clients.submit(() -> {
				long begin = System.nanoTime();
				client.upload(1 << 20);
				return (System.nanoTime() - begin) / 1e9;
			}));
		}
		List<Double> seconds = new ArrayList<>();
		for (Future<Double> latency : latencies) {
			seconds.add(latency.get());
		}
		double wall = (System.nanoTime() - start) / 1e9;
		clients.shutdown();
		this.results.put("small_uploads", Map.of("uploads", total, "clients", 16, "bytes", 1 << 20, "perSecond",
				total / wall, "p50", Stats.percentile(seconds, 50), "p99", Stats.percentile(seconds, 99)));
		log("1 MB uploads from 16 clients: %.1f/s".formatted(total / wall));

		bigUpload(client, stack);
	}

	/** Each PATCH of the tus upload carries this much, as a chunking tus client sends. */
	private static final long TUS_PATCH = 64L << 20;

	/**
	 * One big upload, in rounds that alternate the three ways of storing it: a multipart
	 * POST through the API, a tus upload through the API (PATCH bodies of
	 * {@link #TUS_PATCH}), and the same bytes written straight into GridFS with the Java
	 * driver, so that none always meets the store after another's write. Each stored file
	 * is read back whole through the API and straight from GridFS, and the CPU time each
	 * process spent on each is recorded. The first {@link #BIG_UPLOAD_WARM_UP_ROUNDS}
	 * rounds are not counted in the medians; their upload rates are reported apart.
	 */
	private void bigUpload(PipelineClient client, LocalPipeline stack) throws Exception {
		long size = this.options.bigUpload();
		double mb = size / 1e6;
		List<Double> api = new ArrayList<>();
		List<Double> tus = new ArrayList<>();
		List<Double> raw = new ArrayList<>();
		List<Double> apiRead = new ArrayList<>();
		List<Double> rawRead = new ArrayList<>();
		// CPU seconds each process spent on one upload: where the time goes.
		Map<String, List<Double>> cpu = new LinkedHashMap<>();
		try (MongoClient mongo = MongoClients.create(stack.mongoUri())) {
			GridFSBucket bucket = GridFSBuckets.create(mongo.getDatabase("nthu_distributed_system"));
			for (int round = 0; round < BIG_UPLOAD_WARM_UP_ROUNDS + BIG_UPLOAD_ROUNDS; round++) {
				CpuUse use = new CpuUse(stack);
				long begin = System.nanoTime();
				String id = client.upload(size);
				api.add(mb / ((System.nanoTime() - begin) / 1e9));
				use.record("api", cpu);
				begin = System.nanoTime();
				long read = client.download(id);
				apiRead.add(mb / ((System.nanoTime() - begin) / 1e9));
				check(read == size, "read back " + read + " of " + size + " bytes through the API");
				client.delete(id);
				use = new CpuUse(stack);
				begin = System.nanoTime();
				id = client.tusUpload(size, TUS_PATCH);
				tus.add(mb / ((System.nanoTime() - begin) / 1e9));
				use.record("tus", cpu);
				check(client.download(id) == size, "read back the tus upload whole through the API");
				client.delete(id);
				use = new CpuUse(stack);
				begin = System.nanoTime();
				ObjectId file = bucket.uploadFromStream("raw.mp4", SyntheticVideos.mp4(size));
				raw.add(mb / ((System.nanoTime() - begin) / 1e9));
				use.record("raw", cpu);
				begin = System.nanoTime();
				try (InputStream stored = bucket.openDownloadStream(file)) {
					read = stored.transferTo(OutputStream.nullOutputStream());
				}
				rawRead.add(mb / ((System.nanoTime() - begin) / 1e9));
				check(read == size, "read back " + read + " of " + size + " bytes from GridFS");
				bucket.delete(file);
			}
		}
		Map<String, Object> warmUp = new LinkedHashMap<>();
		warmUp.put("rounds", BIG_UPLOAD_WARM_UP_ROUNDS);
		warmUp.put("apiRunsMBps", warmUp(api));
		warmUp.put("tusRunsMBps", warmUp(tus));
		warmUp.put("rawGridFsRunsMBps", warmUp(raw));
		api = counted(api);
		tus = counted(tus);
		raw = counted(raw);
		apiRead = counted(apiRead);
		rawRead = counted(rawRead);
		cpu.replaceAll((key, values) -> counted(values));
		double apiMBps = Stats.percentile(api, 50);
		double tusMBps = Stats.percentile(tus, 50);
		double rawMBps = Stats.percentile(raw, 50);
		Map<String, Object> result = new LinkedHashMap<>(
				Map.of("bytes", size, "rounds", BIG_UPLOAD_ROUNDS, "apiMBps", apiMBps, "rawGridFsMBps", rawMBps,
						"ratio", apiMBps / rawMBps, "apiRunsMBps", api, "rawGridFsRunsMBps", raw));
		result.put("tusMBps", tusMBps);
		result.put("tusRatio", tusMBps / rawMBps);
		result.put("tusRunsMBps", tus);
		result.put("tusPatchBytes", TUS_PATCH);
		result.put("warmUp", warmUp);
		Map<String, Double> cpuMedians = new LinkedHashMap<>();
		cpu.forEach((key, values) -> cpuMedians.put(key, Stats.percentile(values, 50)));
		result.put("cpuSecondsMedian", cpuMedians);
		double gb = size / 1e9;
		result.put("apiCpuSecondsPerGb",
				Map.of("multipart", cpuMedians.get("api.api") / gb, "tus", cpuMedians.get("tus.api") / gb));
		double apiReadMBps = Stats.percentile(apiRead, 50);
		double rawReadMBps = Stats.percentile(rawRead, 50);
		result.put("apiReadMBps", apiReadMBps);
		result.put("rawGridFsReadMBps", rawReadMBps);
		result.put("readRatio", apiReadMBps / rawReadMBps);
		result.put("apiReadRunsMBps", apiRead);
		result.put("rawGridFsReadRunsMBps", rawRead);
		this.results.put("big_upload", result);
		log("%d MB upload, median of %d: multipart %.1f MB/s (%.2fx), tus %.1f MB/s (%.2fx), raw GridFS %.1f MB/s; CPU seconds %s"
			.formatted(size >> 20, BIG_UPLOAD_ROUNDS, apiMBps, apiMBps / rawMBps, tusMBps, tusMBps / rawMBps, rawMBps,
					cpuMedians));
		log("%d MB read back whole, median of %d: API %.1f MB/s, raw GridFS %.1f MB/s".formatted(size >> 20,
				BIG_UPLOAD_ROUNDS, apiReadMBps, rawReadMBps));
		log("%d warm-up rounds before them, not counted: multipart %s, tus %s, raw GridFS %s MB/s".formatted(
				BIG_UPLOAD_WARM_UP_ROUNDS, rounded(warmUp.get("apiRunsMBps")), rounded(warmUp.get("tusRunsMBps")),
				rounded(warmUp.get("rawGridFsRunsMBps"))));
	}

	/** The big upload's warm-up rounds of these figures. */
	private static List<Double> warmUp(List<Double> rounds) {
		return List.copyOf(rounds.subList(0, BIG_UPLOAD_WARM_UP_ROUNDS));
	}

	/** Figures in MB/s, rounded, for the log. */
	private static String rounded(Object figures) {
		return ((List<?>) figures).stream()
			.map((figure) -> "%.0f".formatted((Double) figure))
			.collect(Collectors.joining(", "));
	}

	/** The big upload's counted rounds of these figures. */
	private static List<Double> counted(List<Double> rounds) {
		return new ArrayList<>(rounds.subList(BIG_UPLOAD_WARM_UP_ROUNDS, rounds.size()));
	}

	private static void check(boolean holds, String what) {
		if (!holds) {
			throw new IllegalStateException("Wrong: " + what);
		}
	}

	/**
	 * The CPU time the benchmark, the API and the MongoDB-wire server have used since it
	 * was made.
	 */
	private static final class CpuUse {

		private final LocalPipeline stack;

		private final long wallStart = System.nanoTime();

		private final Map<String, Duration> start;

		CpuUse(LocalPipeline stack) {
			this.stack = stack;
			this.start = now();
		}

		private Map<String, Duration> now() {
			return Map.of("benchmark", cpuOf(ProcessHandle.current()), "api", this.stack.cpu("api"), "mongo",
					this.stack.cpu("mongo"));
		}

		private static Duration cpuOf(ProcessHandle process) {
			return process.info().totalCpuDuration().orElse(Duration.ZERO);
		}

		/** Adds the seconds used since, per process, under {@code path}'s keys. */
		void record(String path, Map<String, List<Double>> cpu) {
			Map<String, Duration> end = now();
			cpu.computeIfAbsent(path + ".wall", (key) -> new ArrayList<>())
				.add((System.nanoTime() - this.wallStart) / 1e9);
			for (String process : List.of("benchmark", "api", "mongo")) {
				cpu.computeIfAbsent(path + "." + process, (key) -> new ArrayList<>())
					.add(end.get(process).minus(this.start.get(process)).toMillis() / 1000.0);
			}
		}

	}

	/**
	 * Real renditions: a 1280x720 10-second clip through the pipeline with the ffmpeg
	 * transcoder, from the upload's answer to {@code success}, against the floor of the
	 * same encodes run directly with ffmpeg (the worker's own command lines, as many at
	 * once as the worker's rendition consumers), alternating, in the same run. CPU
	 * seconds per process include the ffmpeg processes each started. Skipped without
	 * ffmpeg.
	 */
	private void ffmpeg(PipelineClient client, LocalPipeline stack, Path work) throws Exception {
		MediaTools tools = new MediaTools("ffmpeg", "ffprobe");
		if (!tools.ffmpegAvailable() || !tools.probeAvailable()) {
			this.results.put("ffmpeg", Map.of("skipped", "ffmpeg or ffprobe is not installed"));
			log("ffmpeg: skipped, ffmpeg or ffprobe is not installed");
			return;
		}
		int consumers = Runtime.getRuntime().availableProcessors();
		Path worker = stack.startWorker("stream-ffmpeg", "-Xmx384m", "--video.stream.transcoder=ffmpeg");
		Path clip = work.resolve("clip-1280x720-10s.mp4");
		MediaProcess.run(List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
				"testsrc2=duration=10:size=1280x720:rate=30", "-f", "lavfi", "-i", "sine=frequency=440:duration=10",
				"-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", clip.toString()),
				Duration.ofMinutes(5), null);
		byte[] bytes = Files.readAllBytes(clip);
		List<Integer> encoded = List.of(360, 480, 720);
		int rounds = this.options.quick() ? 1 : 3;
		List<Double> pipeline = new ArrayList<>();
		List<Double> direct = new ArrayList<>();
		List<Double> mp4Only = new ArrayList<>();
		long hlsBytes = 0;
		long mp4Bytes = 0;
		Map<String, List<Double>> cpu = new LinkedHashMap<>();
		for (int round = 0; round < rounds; round++) {
			Map<String, Double> before = processCpu(stack, "stream-ffmpeg");
			String id = client.upload("clip.mp4", bytes);
			long answered = System.nanoTime();
			while (!VideoStatus.SUCCESS.word().equals(client.status(id))) {
				if (VideoStatus.FAILED.word().equals(client.status(id))) {
					throw new IllegalStateException("Video " + id + " failed: " + client.video(id));
				}
				Thread.sleep(50);
			}
			pipeline.add((System.nanoTime() - answered) / 1e9);
			Map<String, Double> after = processCpu(stack, "stream-ffmpeg");
			after.forEach((process, seconds) -> cpu.computeIfAbsent("pipeline." + process, (key) -> new ArrayList<>())
				.add(seconds - before.get(process)));

			double ownBefore = Proc.cpuSeconds(ProcessHandle.current().pid());
			long started = System.nanoTime();
			hlsBytes = encodeAll(consumers, encoded, (height) -> {
				Path playlist = work.resolve("direct-" + height + ".m3u8");
				Path media = work.resolve("direct-" + height + ".mp4");
				tools.encode(clip, height, clip, playlist, media, Duration.ofMinutes(10), (seconds) -> {
				});
				long size = Files.size(media);
				Files.delete(playlist);
				Files.delete(media);
				return size;
			});
			direct.add((System.nanoTime() - started) / 1e9);
			cpu.computeIfAbsent("direct.ffmpeg", (key) -> new ArrayList<>())
				.add(Proc.cpuSeconds(ProcessHandle.current().pid()) - ownBefore);

			ownBefore = Proc.cpuSeconds(ProcessHandle.current().pid());
			started = System.nanoTime();
			mp4Bytes = encodeAll(consumers, encoded, (height) -> {
				Path output = work.resolve("mp4-only-" + height + ".mp4");
				MediaProcess.run(mp4Only(clip, height, output), Duration.ofMinutes(10), null);
				long size = Files.size(output);
				Files.delete(output);
				return size;
			});
			mp4Only.add((System.nanoTime() - started) / 1e9);
			cpu.computeIfAbsent("mp4Only.ffmpeg", (key) -> new ArrayList<>())
				.add(Proc.cpuSeconds(ProcessHandle.current().pid()) - ownBefore);
			client.delete(id);
		}
		stack.stop("stream-ffmpeg");
		double pipelineMedian = Stats.percentile(pipeline, 50);
		double directMedian = Stats.percentile(direct, 50);
		Map<String, Double> cpuMedians = new LinkedHashMap<>();
		cpu.forEach((key, values) -> cpuMedians.put(key, Stats.percentile(values, 50)));
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("clip", "1280x720, 10 s, 30 fps, H.264/AAC, " + bytes.length + " bytes");
		result.put("renditionConsumers", consumers);
		result.put("pipelineSeconds", pipeline);
		result.put("directSeconds", direct);
		result.put("pipelineMedian", pipelineMedian);
		result.put("directMedian", directMedian);
		result.put("ratio", pipelineMedian / directMedian);
		result.put("mp4OnlySeconds", mp4Only);
		result.put("mp4OnlyMedian", Stats.percentile(mp4Only, 50));
		result.put("hlsBytes", hlsBytes);
		result.put("mp4OnlyBytes", mp4Bytes);
		result.put("cpuSecondsMedian", cpuMedians);
		result.put("workerLog", worker.getFileName().toString());
		this.results.put("ffmpeg", result);
		log("ffmpeg: 1280x720 10 s clip, median of %d: pipeline %.2f s, the same encodes directly %.2f s (%.2fx); CPU seconds %s"
			.formatted(rounds, pipelineMedian, directMedian, pipelineMedian / directMedian, cpuMedians));
	}

	/** One encode of a clip at a height; answers the bytes it made. */
	private interface Encode {

		long run(int height) throws Exception;

	}

	/**
	 * Runs an encode per height, as many at once as {@code consumers}.
	 * @return the bytes they made together
	 */
	private static long encodeAll(int consumers, List<Integer> heights, Encode encode) throws Exception {
		ExecutorService encoders = Executors.newFixedThreadPool(consumers);
		try {
			List<Future<Long>> encodes = new ArrayList<>();
			for (int height : heights) {
				encodes.add(encoders.submit(() -> encode.run(height)));
			}
			long bytes = 0;
			for (Future<Long> done : encodes) {
				bytes += done.get();
			}
			return bytes;
		}
		finally {
			encoders.shutdown();
		}
	}

	/**
	 * The worker's command line before HLS: one progressive MP4 per scale (H.264 at CRF
	 * 23 with no cap and x264's own keyframes, AAC encoded by every rendition, the index
	 * at the front). The baseline that the HLS ladder's time and bytes are compared with.
	 */
	static List<String> mp4Only(Path source, int height, Path output) {
		return List.of("ffmpeg", "-nostdin", "-hide_banner", "-v", "error", "-y", "-i", source.toString(), "-map",
				"0:v:0", "-map", "0:a:0?", "-vf", "scale=-2:" + MediaTools.even(height), "-c:v", "libx264", "-preset",
				"veryfast", "-crf", "23", "-profile:v", "high", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k",
				"-ac", "2", "-movflags", "+faststart", "-f", "mp4", output.toString());
	}

	/**
	 * CPU seconds so far of the API, the MongoDB-wire server and a worker, with their
	 * children.
	 */
	private static Map<String, Double> processCpu(LocalPipeline stack, String worker) {
		Map<String, Double> cpu = new LinkedHashMap<>();
		cpu.put("api", Proc.cpuSeconds(stack.pid(LocalPipeline.API)));
		cpu.put("mongo", Proc.cpuSeconds(stack.pid(LocalPipeline.MONGO)));
		cpu.put("worker", Proc.cpuSeconds(stack.pid(worker)));
		return cpu;
	}

	/** A big upload to an API started with -Xmx256m, sampling its heap meanwhile. */
	private void memory(PipelineClient client) throws Exception {
		AtomicLong peak = new AtomicLong();
		ExecutorService sampler = Executors.newSingleThreadExecutor();
		Future<?> sampling = sampler.submit(() -> {
			while (!Thread.currentThread().isInterrupted()) {
				try {
					peak.accumulateAndGet(client.heapUsed(), Math::max);
					Thread.sleep(200);
				}
				catch (InterruptedException ex) {
					return;
				}
				catch (RuntimeException ex) {
					// The API is busy: try again.
				}
			}
		});
		long size = this.options.memoryUpload();
		boolean stored;
		String error = "";
		try {
			client.upload(size);
			stored = true;
		}
		catch (RuntimeException ex) {
			stored = false;
			error = String.valueOf(ex.getMessage());
		}
		sampling.cancel(true);
		sampler.shutdownNow();
		this.results.put("memory", Map.of("bytes", size, "heapMax", "256m", "stored", stored, "peakHeapBytes",
				peak.get(), "error", error));
		log("%d MB upload to -Xmx256m: %s, peak heap %d MB".formatted(size >> 20,
				stored ? "stored" : "FAILED: " + error, peak.get() >> 20));
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

	static void log(String message) {
		System.out.println("[bench] " + Instant.now() + " " + message);
	}

	/** Percentiles of small samples. */
	static final class Stats {

		private Stats() {
		}

		static double percentile(List<Double> values, int percentile) {
			List<Double> sorted = values.stream().sorted().toList();
			int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
			return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
		}

		static double max(List<Double> values) {
			return values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
		}

	}

	/** What the figures were measured on. */
	static final class Machine {

		private Machine() {
		}

		static Map<String, Object> describe() {
			Map<String, Object> machine = new LinkedHashMap<>();
			machine.put("cores", Runtime.getRuntime().availableProcessors());
			machine.put("memory", memory());
			machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
			machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
			machine.put("date", Instant.now().toString());
			return machine;
		}

		private static String memory() {
			try {
				return Files.readAllLines(Path.of("/proc/meminfo"))
					.stream()
					.filter((line) -> line.startsWith("MemTotal"))
					.map((line) -> line.replaceAll("\\s+", " "))
					.findFirst()
					.orElse("unknown");
			}
			catch (IOException ex) {
				return "unknown";
			}
		}

	}

}
