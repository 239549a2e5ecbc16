package dev.labkafka.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.labkafka.processes.LocalPipeline;
import dev.labkafka.processes.PipelineClient;
import org.jspecify.annotations.Nullable;

/**
 * The soak test ({@link Soak}) on an API and a worker of its own, on a fresh stack and
 * again after gigabytes uploaded and deleted; its figures are {@code soak} and
 * {@code soak_after_uploads}.
 */
final class SoakBench {

	/** The mock transcode time of the soak test's worker: short, so that it keeps up. */
	private static final Duration SOAK_TRANSCODE = Duration.ofMillis(200);

	/**
	 * How much is uploaded and deleted between the two soaks of {@link #afterUploads}.
	 */
	static final long CHURN = 5L << 30;

	private final LocalPipeline stack;

	private final Options options;

	SoakBench(LocalPipeline stack, Options options) {
		this.stack = stack;
		this.options = options;
	}

	/**
	 * The soak test (see {@link Soak}) on an API and a worker started as {@code make run}
	 * starts them, but with a short mock transcode; stops them after.
	 * @return the figures, as {@code make bench} reports them under {@code soak}
	 */
	Map<String, Object> soak() throws Exception {
		this.stack.startApi("-Xmx512m");
		this.stack.startWorker("stream-soak", "-Xmx512m",
				"--video.stream.transcode-time=" + SOAK_TRANSCODE.toMillis() + "ms");
		Duration drain = Duration.ofSeconds(this.options.quick() ? 60 : 180);
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("transcodeMs", SOAK_TRANSCODE.toMillis());
		result.put("apiHeapMax", "512m");
		result
			.putAll(new Soak(this.stack.apiUrl(), this.stack.pid(LocalPipeline.API), this.options.soak(), drain).run());
		this.stack.stop("stream-soak");
		this.stack.stop(LocalPipeline.API);
		@SuppressWarnings("unchecked")
		Map<String, Object> heap = (Map<String, Object>) result.get("heap");
		@SuppressWarnings("unchecked")
		Map<String, Object> files = (Map<String, Object>) result.get("openFiles");
		Benchmark
			.log(("Soak: %s requests (%.0f/s) by class %s; 5xx %s, refused by the upload cap %s; %s uploaded, %s deleted, "
					+ "lost %s, deleted still there %s; heap %d -> %d MB (flat: %s), open files %s -> %s (flat: %s)")
				.formatted(result.get("requests"), result.get("perSecond"), result.get("byClass"),
						result.get("fiveHundreds"), result.get("refusedByCap"), result.get("uploaded"),
						result.get("deleted"), result.get("lost"), result.get("deletedStillThere"),
						((Number) heap.get("start")).longValue() >> 20, ((Number) heap.get("end")).longValue() >> 20,
						heap.get("flat"), files.get("start"), files.get("end"), files.get("flat")));
		return result;
	}

	/**
	 * Whether the local stack stays fast after gigabytes: the soak on a fresh stack, then
	 * a 1 GB video kept and {@link #CHURN} uploaded and deleted through the API in 512 MB
	 * videos (what a day of trying the pipeline with phone videos does), then the same
	 * soak again; with the size of the MongoDB-wire server's store on disk against the
	 * bytes the kept videos hold, after each step.
	 * @return the figures: the second soak's under {@code soak}, and the rest under
	 * {@code soak_after_uploads}
	 */
	Map<String, Object> afterUploads() throws Exception {
		Path store = this.stack.log(LocalPipeline.MONGO).getParent().resolve("data");
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("storeBytesFresh", Proc.directorySize(store));
		Map<String, Object> fresh = soak();
		result.put("storeBytesAfterFreshSoak", Proc.directorySize(store));
		this.stack.startApi("-Xmx512m");
		PipelineClient client = new PipelineClient(this.stack.apiUrl());
		long churned = 0;
		long begin = System.nanoTime();
		client.upload(1L << 30);
		while (churned < CHURN) {
			client.delete(client.upload(512L << 20));
			churned += 512L << 20;
		}
		result.put("churnSeconds", (System.nanoTime() - begin) / 1e9);
		this.stack.stop(LocalPipeline.API);
		result.put("storeBytesAfterChurn", Proc.directorySize(store));
		Map<String, Object> after = soak();
		result.put("storeBytesAfterSecondSoak", Proc.directorySize(store));
		result.put("keptBytes", storedBytes());
		long stopping = System.nanoTime();
		this.stack.stop(LocalPipeline.MONGO);
		result.put("storeStopSeconds", (System.nanoTime() - stopping) / 1e9);
		result.put("storeBytesAfterStop", Proc.directorySize(store));
		result.put("churnBytes", churned);
		result.put("freshPerSecond", fresh.get("perSecond"));
		result.put("afterPerSecond", after.get("perSecond"));
		result.put("ratio", Report.number(after, "perSecond") / Report.number(fresh, "perSecond"));
		Benchmark.log("Soak fresh %.1f/s, after %d GB uploaded and deleted %.1f/s (%.2fx); store on disk %s".formatted(
				Report.number(fresh, "perSecond"), CHURN >> 30, Report.number(after, "perSecond"),
				(double) result.get("ratio"), result));
		Map<String, Object> figures = new LinkedHashMap<>();
		figures.put("soak", after);
		figures.put("soak_after_uploads", result);
		return figures;
	}

	/** The bytes the store's GridFS files hold, every bucket. */
	private long storedBytes() {
		try (MongoClient mongo = MongoClients.create(this.stack.mongoUri())) {
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

	/** The rows of the targets, if these figures were measured. */
	static void targets(StringBuilder md, Map<String, Object> results) {
		Map<String, Object> churn = Report.map(results, "soak_after_uploads");
		if (churn != null) {
			Report.target(md, "Soak after 5 GB uploaded and deleted / on a fresh stack (requests a second)",
					"at least 0.8",
					String.format(Locale.ROOT, "%.2f (%.0f against %.0f/s)", Report.number(churn, "ratio"),
							Report.number(churn, "afterPerSecond"), Report.number(churn, "freshPerSecond")),
					Report.number(churn, "ratio") >= 0.8);
		}
		Map<String, Object> soak = Report.map(results, "soak");
		if (soak != null) {
			soakTarget(md, soak);
		}
	}

	/** The section, if these figures were measured. */
	static void section(StringBuilder md, Map<String, Object> results) {
		Map<String, Object> soak = Report.map(results, "soak");
		if (soak != null) {
			soakSection(md, soak, Report.map(results, "soak_after_uploads"));
		}
	}

	/** The soak test's row of the targets. */
	@SuppressWarnings("unchecked")
	private static void soakTarget(StringBuilder md, Map<String, Object> soak) {
		Map<String, Object> heap = (Map<String, Object>) soak.get("heap");
		Map<String, Object> files = (Map<String, Object>) soak.get("openFiles");
		long fiveHundreds = ((Number) soak.get("fiveHundreds")).longValue();
		long failures = ((Number) soak.get("otherFailures")).longValue();
		long lost = ((Number) soak.get("lost")).longValue() + ((Number) soak.get("deletedStillThere")).longValue();
		boolean met = fiveHundreds == 0 && failures == 0 && lost == 0 && (Boolean) heap.get("flat")
				&& (Boolean) files.get("flat");
		Report.target(md,
				"Soak: " + soak.get("clients") + " clients mixing uploads, reads, range reads and deletes for "
						+ Math.round(Report.number(soak, "seconds")) + " s",
				"no 5xx or other failed request, no lost video, heap and open files flat",
				String.format(Locale.ROOT, "%d 5xx, %d other failures, %d lost; heap %s, open files %s", fiveHundreds,
						failures, lost, (Boolean) heap.get("flat") ? "flat" : "**not flat**",
						(Boolean) files.get("flat") ? "flat" : "**not flat**"),
				met);
	}

	/** The soak test's section. */
	@SuppressWarnings("unchecked")
	private static void soakSection(StringBuilder md, Map<String, Object> soak, @Nullable Map<String, Object> churn) {
		Map<String, Object> mix = (Map<String, Object>) soak.get("mix");
		Map<String, Object> classes = (Map<String, Object>) soak.get("byClass");
		Map<String, Object> operations = (Map<String, Object>) soak.get("byOperation");
		Map<String, Object> outcome = (Map<String, Object>) soak.get("keptOutcome");
		Map<String, Object> heap = (Map<String, Object>) soak.get("heap");
		Map<String, Object> files = (Map<String, Object>) soak.get("openFiles");
		Map<String, Object> problems = (Map<String, Object>) soak.get("problems");
		md.append("\n## Soak\n\n");
		if (churn != null) {
			md.append(String.format(Locale.ROOT,
					"After gigabytes (`make bench ARGS=--soak-after-uploads`): a soak on a fresh stack made %.0f requests a second; then a 1 GB video was kept and %d GB uploaded and deleted through the API in 512 MB videos (%.0f s), and the same soak again, the one below, made %.0f a second (%.2fx). The MongoDB-wire server's store took %s on disk after the first soak, %s after the uploads and deletes, %s after the second soak and %s once the server stopped, for %s that the kept videos hold (as `du` counts it).%n%n",
					Report.number(churn, "freshPerSecond"), ((Number) churn.get("churnBytes")).longValue() >> 30,
					Report.number(churn, "churnSeconds"), Report.number(churn, "afterPerSecond"),
					Report.number(churn, "ratio"), megabytes(churn, "storeBytesAfterFreshSoak"),
					megabytes(churn, "storeBytesAfterChurn"), megabytes(churn, "storeBytesAfterSecondSoak"),
					megabytes(churn, "storeBytesAfterStop"), megabytes(churn, "keptBytes")));
		}
		md.append(String.format(Locale.ROOT,
				"Measured %s on %s cores; `make bench ARGS=--soak-only` runs this part alone and keeps the other figures. %s clients, each on a thread of its own with videos of its own, ran for %.0f s against an API started as `make run` starts it (`-Xmx512m`) and one worker (mock transcode %s ms, so that it keeps up), each doing a weighted random mix: uploads %s%% (the real two-second sample MP4, padded to a random size up to 512 KB), `GET /v1/videos?limit=20` %s%%, `GET /v1/videos/{id}` %s%%, range reads of `/v1/videos/{id}/content` %s%% (up to 64 KB at a random offset: 206 expected, the bytes and `Content-Range` checked) and deletes %s%% (of its own videos). A 503 with `Retry-After` to an upload counts as refused by the upload cap, and the upload is tried again after that delay; any other 5xx is a failure, and so is any answer other than the one expected, since a client only asks for its own videos.%n%n",
				String.valueOf(soak.get("date")).substring(0, 10), soak.get("cores"), soak.get("clients"),
				Report.number(soak, "seconds"), soak.get("transcodeMs"), mix.get("upload"), mix.get("list"),
				mix.get("get"), mix.get("range"), mix.get("delete")));
		md.append(String.format(Locale.ROOT,
				"- Requests: %d (%.0f/s); by status class: %s. 5xx: %d; refused by the upload cap: %d; other failures (unexpected status, no answer, wrong bytes): %d.%n",
				((Number) soak.get("requests")).longValue(), Report.number(soak, "perSecond"), classes(classes),
				((Number) soak.get("fiveHundreds")).longValue(), ((Number) soak.get("refusedByCap")).longValue(),
				((Number) soak.get("otherFailures")).longValue()));
		operations.forEach((operation, counts) -> md
			.append(String.format(Locale.ROOT, "  - %s: %s%n", operation, classes((Map<String, Object>) counts))));
		if (!problems.isEmpty()) {
			md.append("- Not as expected: ").append(classes(problems)).append(".\n");
		}
		md.append(String.format(Locale.ROOT,
				"- Videos: %d uploaded, %d deleted, %d kept. After the clients stopped the worker was done in %.1f s; the kept ones then were %s. Lost (kept but missing, failed or not `success` within the wait): %d. Deleted but still there: %d.%n",
				((Number) soak.get("uploaded")).longValue(), ((Number) soak.get("deleted")).longValue(),
				((Number) soak.get("kept")).longValue(), Report.number(soak, "drainSeconds"), classes(outcome),
				((Number) soak.get("lost")).longValue(), ((Number) soak.get("deletedStillThere")).longValue()));
		List<Map<String, Object>> marks = (List<Map<String, Object>>) heap.get("marks");
		String collection = (Boolean) heap.get("afterFullGc") ? "right after a full collection (`jcmd GC.run`)"
				: "(no full collection could be asked for)";
		md.append(String.format(Locale.ROOT,
				"- API heap used, %s: %d MB idle before the load; under load %s; %d MB idle after the run: %s. Sampled every second under load: at most %d MB, median of the first %d s %d MB and of the last %d s %d MB (these follow the size the collector gives the young generation more than what stays live).%n",
				collection, mb(heap, "start"),
				marks.stream()
					.map((mark) -> String.format(Locale.ROOT, "%d MB at %.0f s",
							((Number) mark.get("heap")).longValue() >> 20, Report.number(mark, "second")))
					.collect(Collectors.joining(", ")),
				mb(heap, "end"), (Boolean) heap.get("flat") ? "flat" : "**not flat**", mb(heap, "max"),
				Soak.WINDOW.toSeconds(), mb(heap, "firstWindowMedian"), Soak.WINDOW.toSeconds(),
				mb(heap, "lastWindowMedian")));
		md.append(String.format(Locale.ROOT,
				"- API open files: %s idle before the load; under load %s; %s idle after the run; at most %s: %s.%n",
				files.get("start"),
				marks.stream()
					.map((mark) -> String.format(Locale.ROOT, "%s at %.0f s", mark.get("openFiles"),
							Report.number(mark, "second")))
					.collect(Collectors.joining(", ")),
				files.get("end"), files.get("max"), (Boolean) files.get("flat") ? "flat" : "**not flat**"));
		md.append(String.format(Locale.ROOT,
				"%nDefinitions. The heap is `jvm_memory_used_bytes{area=\"heap\"}` summed over the pools, and the open files are `process_files_open_files`, both read from the API's `/actuator/prometheus`: every second under load; right after a full collection at a quarter, half and three quarters of the time and 2 s before the clients stop (the marks above); and idle, 5 s after the pipeline was ready and 5 s after the run's checks, each after a full collection. The heap is flat when at the last mark it is at most %.0f%% above the first mark; the open files are flat when at the last mark they are at most %d above the first. Both compare the API under the same load, so that what the load itself holds open (the clients' connections, the MongoDB driver's pool grown to serve them) is in both figures, and what grows with the requests served is not. A video is lost when it was uploaded (201) and not deleted, and then does not answer `GET /v1/videos/{id}` with status `success` within %s of the clients stopping; a deleted one must answer 404.%n",
				(Soak.HEAP_GROWTH - 1) * 100, Soak.FILES_GROWTH, soak.get("drainLimitSeconds") + " s"));
	}

	private static long mb(Map<String, Object> values, String key) {
		return ((Number) values.get(key)).longValue() >> 20;
	}

	/** {@code key value, key value}. */
	private static String classes(Map<String, Object> counts) {
		return counts.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + " " + entry.getValue())
			.collect(Collectors.joining(", "));
	}

	private static String megabytes(Map<String, Object> map, String key) {
		return String.format(Locale.ROOT, "%.0f MB", Report.number(map, key) / 1e6);
	}

}
