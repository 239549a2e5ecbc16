package dev.labkafka.bench;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.gridfs.GridFSBucket;
import com.mongodb.client.gridfs.GridFSBuckets;
import dev.labkafka.processes.LocalPipeline;
import dev.labkafka.processes.PipelineClient;
import dev.labkafka.processes.SyntheticVideos;
import org.bson.types.ObjectId;

/**
 * The upload path, on an API with no worker running: 1 MB uploads from 16 clients, and a
 * big upload by multipart, by tus and straight into GridFS, alternating, each read back
 * whole, with the CPU seconds each process spent on it ({@code small_uploads},
 * {@code big_upload}); and a big upload to an API with a small heap ({@code memory}).
 */
final class UploadBench {

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

	/** Each PATCH of the tus upload carries this much, as a chunking tus client sends. */
	private static final long TUS_PATCH = 64L << 20;

	private final LocalPipeline stack;

	private final PipelineClient client;

	private final Options options;

	UploadBench(LocalPipeline stack, PipelineClient client, Options options) {
		this.stack = stack;
		this.client = client;
		this.options = options;
	}

	/**
	 * Measures; the figures, as {@code make bench} reports them: 1 MB uploads from 16
	 * clients, then {@link #bigUpload}.
	 */
	Map<String, Object> run() throws Exception {
		int total = this.options.smallUploads();
		ExecutorService clients = Executors.newFixedThreadPool(16);
		List<Future<Double>> latencies = new ArrayList<>();
		long start = System.nanoTime();
		for (int i = 0; i < total; i++) {
			latencies.add(clients.submit(() -> {
				long begin = System.nanoTime();
				this.client.upload(1 << 20);
				return (System.nanoTime() - begin) / 1e9;
			}));
		}
		List<Double> seconds = new ArrayList<>();
		for (Future<Double> latency : latencies) {
			seconds.add(latency.get());
		}
		double wall = (System.nanoTime() - start) / 1e9;
		clients.shutdown();
		Map<String, Object> results = new LinkedHashMap<>();
		results.put("small_uploads", Map.of("uploads", total, "clients", 16, "bytes", 1 << 20, "perSecond",
				total / wall, "p50", Stats.percentile(seconds, 50), "p99", Stats.percentile(seconds, 99)));
		Benchmark.log("1 MB uploads from 16 clients: %.1f/s".formatted(total / wall));
		results.put("big_upload", bigUpload());
		return results;
	}

	/**
	 * One big upload, in rounds that alternate the three ways of storing it: a multipart
	 * POST through the API, a tus upload through the API (PATCH bodies of
	 * {@link #TUS_PATCH}), and the same bytes written straight into GridFS with the Java
	 * driver, so that none always meets the store after another's write. Each stored file
	 * is read back whole through the API and straight from GridFS, and the CPU time each
	 * process spent on each is recorded. The first {@link #BIG_UPLOAD_WARM_UP_ROUNDS}
	 * rounds are not counted in the medians; their upload rates are reported apart.
	 */
	private Map<String, Object> bigUpload() throws Exception {
		long size = this.options.bigUpload();
		double mb = size / 1e6;
		List<Double> api = new ArrayList<>();
		List<Double> tus = new ArrayList<>();
		List<Double> raw = new ArrayList<>();
		List<Double> apiRead = new ArrayList<>();
		List<Double> rawRead = new ArrayList<>();
		// CPU seconds each process spent on one upload: where the time goes.
		Map<String, List<Double>> cpu = new LinkedHashMap<>();
		try (MongoClient mongo = MongoClients.create(this.stack.mongoUri())) {
			GridFSBucket bucket = GridFSBuckets.create(mongo.getDatabase("nthu_distributed_system"));
			for (int round = 0; round < BIG_UPLOAD_WARM_UP_ROUNDS + BIG_UPLOAD_ROUNDS; round++) {
				Proc.CpuUse use = new Proc.CpuUse(this.stack);
				long begin = System.nanoTime();
				String id = this.client.upload(size);
				api.add(mb / ((System.nanoTime() - begin) / 1e9));
				use.record("api", cpu);
				begin = System.nanoTime();
				long read = this.client.download(id);
				apiRead.add(mb / ((System.nanoTime() - begin) / 1e9));
				check(read == size, "read back " + read + " of " + size + " bytes through the API");
				this.client.delete(id);
				use = new Proc.CpuUse(this.stack);
				begin = System.nanoTime();
				id = this.client.tusUpload(size, TUS_PATCH);
				tus.add(mb / ((System.nanoTime() - begin) / 1e9));
				use.record("tus", cpu);
				check(this.client.download(id) == size, "read back the tus upload whole through the API");
				this.client.delete(id);
				use = new Proc.CpuUse(this.stack);
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
		Benchmark.log(
				"%d MB upload, median of %d: multipart %.1f MB/s (%.2fx), tus %.1f MB/s (%.2fx), raw GridFS %.1f MB/s; CPU seconds %s"
					.formatted(size >> 20, BIG_UPLOAD_ROUNDS, apiMBps, apiMBps / rawMBps, tusMBps, tusMBps / rawMBps,
							rawMBps, cpuMedians));
		Benchmark.log("%d MB read back whole, median of %d: API %.1f MB/s, raw GridFS %.1f MB/s".formatted(size >> 20,
				BIG_UPLOAD_ROUNDS, apiReadMBps, rawReadMBps));
		Benchmark.log("%d warm-up rounds before them, not counted: multipart %s, tus %s, raw GridFS %s MB/s".formatted(
				BIG_UPLOAD_WARM_UP_ROUNDS, rounded(warmUp.get("apiRunsMBps")), rounded(warmUp.get("tusRunsMBps")),
				rounded(warmUp.get("rawGridFsRunsMBps"))));
		return result;
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
	 * A big upload to an API started with -Xmx256m, sampling its heap meanwhile.
	 * @return the figures, as {@code make bench} reports them
	 */
	static Map<String, Object> memory(PipelineClient client, long size) throws Exception {
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
		Map<String, Object> result = Map.of("bytes", size, "heapMax", "256m", "stored", stored, "peakHeapBytes",
				peak.get(), "error", error);
		Benchmark.log("%d MB upload to -Xmx256m: %s, peak heap %d MB".formatted(size >> 20,
				stored ? "stored" : "FAILED: " + error, peak.get() >> 20));
		return Map.of("memory", result);
	}

	/** The rows of the targets, if these figures were measured. */
	static void targets(StringBuilder md, Map<String, Object> results) {
		Map<String, Object> big = Report.map(results, "big_upload");
		if (big != null) {
			Report.target(md, "Big upload: API / raw GridFS throughput", "at least 0.7",
					String.format(Locale.ROOT, "%.2f", Report.number(big, "ratio")),
					Report.number(big, "ratio") >= 0.7);
			if (big.containsKey("tusRatio")) {
				Report.target(md, "Big upload by tus (PATCH bodies): API / raw GridFS throughput", "at least 0.8",
						String.format(Locale.ROOT, "%.2f", Report.number(big, "tusRatio")),
						Report.number(big, "tusRatio") >= 0.8);
			}
		}
		Map<String, Object> memory = Report.map(results, "memory");
		if (memory != null) {
			Report.target(md,
					"Upload of " + (((Number) memory.get("bytes")).longValue() >> 20) + " MB to an API with -Xmx256m",
					"stored",
					(Boolean) memory.get("stored")
							? "stored, peak heap " + (((Number) memory.get("peakHeapBytes")).longValue() >> 20) + " MB"
							: "failed",
					(Boolean) memory.get("stored"));
		}
	}

	/** The section, if these figures were measured. */
	@SuppressWarnings("unchecked")
	static void section(StringBuilder md, Map<String, Object> results) {
		Map<String, Object> small = Report.map(results, "small_uploads");
		Map<String, Object> big = Report.map(results, "big_upload");
		Map<String, Object> memory = Report.map(results, "memory");
		if (small == null && big == null && memory == null) {
			return;
		}
		md.append("\n## Upload path\n\n");
		if (small != null) {
			md.append(String.format(Locale.ROOT,
					"- %d uploads of 1 MB from 16 concurrent clients: %.1f uploads/s, latency p50 %.3f s, p99 %.3f s.%n",
					((Number) small.get("uploads")).intValue(), Report.number(small, "perSecond"),
					Report.number(small, "p50"), Report.number(small, "p99")));
		}
		if (big != null) {
			md.append(String.format(Locale.ROOT,
					"- One %d MB upload: %.1f MB/s through the API (multipart), against %.1f MB/s writing the same bytes straight into GridFS's default bucket with the Java driver (%.2fx); medians of %d rounds that alternate the ways (API %s, raw %s MB/s). The API streams the file part into GridFS as it arrives, with nothing spooled to disk.%n",
					((Number) big.get("bytes")).longValue() >> 20, Report.number(big, "apiMBps"),
					Report.number(big, "rawGridFsMBps"), Report.number(big, "ratio"),
					((Number) big.get("rounds")).intValue(), Report.figures(big, "apiRunsMBps"),
					Report.figures(big, "rawGridFsRunsMBps")));
			Map<String, Object> warmUp = (Map<String, Object>) big.get("warmUp");
			if (warmUp != null) {
				md.append(String.format(Locale.ROOT,
						"- Before the counted rounds, %d warm-up rounds of the same three ways, while the JIT compiler still compiles these paths (measured in the API): multipart %s, tus %s, raw %s MB/s (not counted).%n",
						((Number) warmUp.get("rounds")).intValue(), Report.figures(warmUp, "apiRunsMBps"),
						Report.figures(warmUp, "tusRunsMBps"), Report.figures(warmUp, "rawGridFsRunsMBps")));
			}
			if (big.containsKey("apiReadMBps")) {
				md.append(String.format(Locale.ROOT,
						"- The same %d MB read back whole: %.1f MB/s through the API (`GET /v1/videos/{id}/content`), against %.1f MB/s reading it straight from GridFS with the Java driver (%.2fx); medians of %d rounds (API %s, raw %s MB/s). Both read the chunks in batches of at most 8 MB, as the local stack's MongoDB-wire server answers them.%n",
						((Number) big.get("bytes")).longValue() >> 20, Report.number(big, "apiReadMBps"),
						Report.number(big, "rawGridFsReadMBps"), Report.number(big, "readRatio"),
						((Number) big.get("rounds")).intValue(), Report.figures(big, "apiReadRunsMBps"),
						Report.figures(big, "rawGridFsReadRunsMBps")));
			}
			if (big.containsKey("tusMBps")) {
				md.append(String.format(Locale.ROOT,
						"- The same %d MB by tus (a creation, then `PATCH` bodies of %d MB): %.1f MB/s (%.2fx of raw GridFS; rounds %s MB/s), in the same rounds.%n",
						((Number) big.get("bytes")).longValue() >> 20,
						((Number) big.get("tusPatchBytes")).longValue() >> 20, Report.number(big, "tusMBps"),
						Report.number(big, "tusRatio"), Report.figures(big, "tusRunsMBps")));
			}
			Map<String, Object> perGb = (Map<String, Object>) big.get("apiCpuSecondsPerGb");
			if (perGb != null) {
				md.append(String.format(Locale.ROOT,
						"- The API's CPU seconds per GB stored (medians): %.1f by multipart, %.1f by tus.%n",
						Report.number(perGb, "multipart"), Report.number(perGb, "tus")));
			}
			Map<String, Object> cpu = (Map<String, Object>) big.get("cpuSecondsMedian");
			if (cpu != null) {
				md.append(String.format(Locale.ROOT,
						"- Where the time goes, in CPU seconds per upload (medians): through the API, %.1f s of wall time, the API used %.1f, the MongoDB-wire server %.1f and the benchmark's client %.1f; straight into GridFS, %.1f s of wall time, the server used %.1f and the benchmark %.1f. On %s cores.%n",
						Report.number(cpu, "api.wall"), Report.number(cpu, "api.api"), Report.number(cpu, "api.mongo"),
						Report.number(cpu, "api.benchmark"), Report.number(cpu, "raw.wall"),
						Report.number(cpu, "raw.mongo"), Report.number(cpu, "raw.benchmark"),
						((Map<String, Object>) results.get("machine")).get("cores")));
			}
			if (cpu != null && cpu.containsKey("tus.wall")) {
				md.append(String.format(Locale.ROOT,
						"- By tus: %.1f s of wall time, the API used %.1f CPU seconds, the MongoDB-wire server %.1f and the benchmark's client %.1f.%n",
						Report.number(cpu, "tus.wall"), Report.number(cpu, "tus.api"), Report.number(cpu, "tus.mongo"),
						Report.number(cpu, "tus.benchmark")));
			}
		}
		if (memory != null) {
			md.append(String.format(Locale.ROOT,
					"- One %d MB upload to an API started with `-Xmx256m`: %s; the heap peaked at %d MB (sampled every 200 ms from `/actuator/prometheus`).%n",
					((Number) memory.get("bytes")).longValue() >> 20,
					(Boolean) memory.get("stored") ? "stored" : "failed",
					((Number) memory.get("peakHeapBytes")).longValue() >> 20));
		}
	}

}
