package dev.labkafka.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import javax.imageio.ImageIO;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the benchmark's report: {@code benchmarks.md} with tables and the targets,
 * {@code benchmarks/completion-times.png}, and {@code benchmarks/results.json}.
 */
final class Report {

	private static final Map<String, String> RUNS = new LinkedHashMap<>();

	static {
		RUNS.put("batch_c4_1worker", "1 worker, concurrency 4 (the default)");
		RUNS.put("batch_c4_2workers", "2 workers, concurrency 4 each");
		RUNS.put("batch_c4_4workers", "4 workers, concurrency 4 each");
		RUNS.put("batch_c1_1worker", "1 worker, concurrency 1 (the original lab's design)");
	}

	private static final Map<String, String> LEGEND = Map.of("batch_c4_1worker", "1 worker x 4 (default)",
			"batch_c4_2workers", "2 workers x 4", "batch_c4_4workers", "4 workers x 4", "batch_c1_1worker",
			"1 worker x 1 (original)");

	private final Benchmark.Options options;

	private final Map<String, Object> results;

	Report(Benchmark.Options options, Map<String, Object> results) {
		this.options = options;
		this.results = results;
	}

	/** Writes the report again from the figures of the last run in {@code out}. */
	static void rewrite(Benchmark.Options options) throws IOException {
		Map<String, Object> results = read(options.out().resolve("benchmarks").resolve("results.json"));
		new Report(asMeasured(options, results), results).write();
	}

	/** The figures of a run, as {@link #write()} stored them. */
	@SuppressWarnings("unchecked")
	static Map<String, Object> read(Path file) throws IOException {
		return JsonMapper.builder().build().readValue(file.toFile(), LinkedHashMap.class);
	}

	/** These options with those the figures were measured with. */
	@SuppressWarnings("unchecked")
	static Benchmark.Options asMeasured(Benchmark.Options options, Map<String, Object> results) {
		Map<String, Object> measured = (Map<String, Object>) results.get("options");
		return new Benchmark.Options((Boolean) measured.get("quick"), ((Number) measured.get("videos")).intValue(),
				Duration.ofMillis(((Number) measured.get("transcodeMs")).longValue()), options.smallUploads(),
				options.bigUpload(), options.memoryUpload(), options.soak(), options.out(), options.root(),
				options.segmentsClipSeconds(), options.segmentSeconds());
	}

	void write() throws IOException {
		Path assets = this.options.out().resolve("benchmarks");
		Files.createDirectories(assets);
		JsonMapper.builder()
			.enable(SerializationFeature.INDENT_OUTPUT)
			.build()
			.writeValue(assets.resolve("results.json").toFile(), this.results);
		if (this.results.containsKey("batch_c4_1worker")) {
			chart(assets.resolve("completion-times.png"));
		}
		Files.writeString(this.options.out().resolve("benchmarks.md"), markdown());
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> map(String key) {
		return (Map<String, Object>) this.results.get(key);
	}

	static double number(Map<String, Object> map, String key) {
		return ((Number) map.get(key)).doubleValue();
	}

	private String markdown() throws IOException {
		StringBuilder md = new StringBuilder();
		md.append("# Benchmarks\n\n");
		md.append("Measured by `make bench")
			.append(this.options.quick() ? " ARGS=--quick" : "")
			.append("`, which starts ")
			.append("the pipeline as `make run` does (local Kafka broker, MongoDB-wire server, video-api, ")
			.append("video-stream) and drives it through its HTTP API only. The figures are reported, not asserted. ")
			.append("Mock transcode time: ")
			.append(this.options.transcode().toMillis())
			.append(" ms; batch: ")
			.append(this.options.videos())
			.append(" videos.\n\n");
		md.append("Machine: ").append(this.results.get("machine")).append("\n\n");
		md.append("## Targets\n\n| Measure | Target | Measured | Met |\n| --- | --- | --- | --- |\n");
		if (this.results.containsKey("single")) {
			pipelineTargets(md);
		}
		Map<String, Object> soak = map("soak");
		if (soak != null) {
			soakTarget(md, soak);
		}
		Map<String, Object> segments = map("segments");
		if (segments != null) {
			SegmentBench.targets(md, segments);
		}
		if (this.results.containsKey("single")) {
			pipelineSections(md);
		}
		if (soak != null) {
			soakSection(md, soak, map("soak_after_uploads"));
		}
		if (segments != null) {
			SegmentBench.section(md, segments);
		}
		md.append("\nRaw figures: [benchmarks/results.json](benchmarks/results.json).\n");
		Path analysis = this.options.out().resolve("benchmarks").resolve("analysis.md");
		if (Files.exists(analysis)) {
			md.append("\n").append(Files.readString(analysis));
		}
		return md.toString();
	}

	/** The targets of the pipeline's measures. */
	private void pipelineTargets(StringBuilder md) {
		Map<String, Object> single = map("single");
		Map<String, Object> c4 = map("batch_c4_1worker");
		Map<String, Object> two = map("batch_c4_2workers");
		Map<String, Object> big = map("big_upload");
		Map<String, Object> memory = map("memory");
		Map<String, Object> first = map("first");
		double scaleOut = number(c4, "makespan") / number(two, "makespan");
		if (first != null) {
			target(md, "First video after the pipeline says it is ready: answer to success", "at most 1.1x",
					String.format(Locale.ROOT, "%.2fx (%.2f s)", number(first, "ratio"), number(first, "seconds")),
					number(first, "ratio") <= 1.1);
		}
		target(md, "Single video: answer to success, against one transcode", "at most 1.1x",
				String.format(Locale.ROOT, "%.2fx (%.2f s)", number(single, "ratio"), number(single, "median")),
				number(single, "ratio") <= 1.1);
		target(md, "Batch: floor / makespan", "at least 0.9",
				String.format(Locale.ROOT, "%.2f", number(c4, "floorOverMakespan")),
				number(c4, "floorOverMakespan") >= 0.9);
		target(md, "Big upload: API / raw GridFS throughput", "at least 0.7",
				String.format(Locale.ROOT, "%.2f", number(big, "ratio")), number(big, "ratio") >= 0.7);
		if (big.containsKey("tusRatio")) {
			target(md, "Big upload by tus (PATCH bodies): API / raw GridFS throughput", "at least 0.8",
					String.format(Locale.ROOT, "%.2f", number(big, "tusRatio")), number(big, "tusRatio") >= 0.8);
		}
		target(md, "Upload of " + (((Number) memory.get("bytes")).longValue() >> 20) + " MB to an API with -Xmx256m",
				"stored",
				(Boolean) memory.get("stored")
						? "stored, peak heap " + (((Number) memory.get("peakHeapBytes")).longValue() >> 20) + " MB"
						: "failed",
				(Boolean) memory.get("stored"));
		target(md, "Scale-out: throughput with 2 workers / 1", "at least 1.8",
				String.format(Locale.ROOT, "%.2fx", scaleOut), scaleOut >= 1.8);
		Map<String, Object> four = map("batch_c4_4workers");
		if (four != null) {
			double scaleOut4 = number(c4, "makespan") / number(four, "makespan");
			target(md, "Scale-out: throughput with 4 workers / 1", "at least 3.5",
					String.format(Locale.ROOT, "%.2fx", scaleOut4), scaleOut4 >= 3.5);
		}
		Map<String, Object> ffmpeg = map("ffmpeg");
		if (ffmpeg != null && ffmpeg.containsKey("ratio")) {
			target(md, "ffmpeg: a 720p 10 s clip through the pipeline / the same encodes run directly", "at most 1.2x",
					String.format(Locale.ROOT, "%.2fx (%.1f against %.1f s)", number(ffmpeg, "ratio"),
							number(ffmpeg, "pipelineMedian"), number(ffmpeg, "directMedian")),
					number(ffmpeg, "ratio") <= 1.2);
		}
		Map<String, Object> churn = map("soak_after_uploads");
		if (churn != null) {
			target(md, "Soak after 5 GB uploaded and deleted / on a fresh stack (requests a second)", "at least 0.8",
					String.format(Locale.ROOT, "%.2f (%.0f against %.0f/s)", number(churn, "ratio"),
							number(churn, "afterPerSecond"), number(churn, "freshPerSecond")),
					number(churn, "ratio") >= 0.8);
		}
	}

	private static String megabytes(Map<String, Object> map, String key) {
		return String.format(Locale.ROOT, "%.0f MB", number(map, key) / 1e6);
	}

	/**
	 * Where the first video's time and a warm one's went, hop by hop ({@link Timeline}):
	 * milliseconds after the upload's answer.
	 */
	@SuppressWarnings("unchecked")
	private static void timelines(StringBuilder md, @Nullable Map<String, Object> first, Map<String, Object> single) {
		if (first == null || !first.containsKey("timeline") || !single.containsKey("timeline")) {
			return;
		}
		Map<String, Object> cold = (Map<String, Object>) first.get("timeline");
		Map<String, Object> warm = (Map<String, Object>) single.get("timeline");
		md.append(String.format(Locale.ROOT,
				"%nWhere the time goes, in milliseconds after the upload's answer: when each message was written (Kafka's timestamps of the announcement, the fan-out's rendition messages and the worker's progress messages) and when the worker took the announcement and each rendition (its log), for the first video and for the last of the five after it.%n%n"));
		md.append("| Hop | First video (ms) | A warm video (ms) |\n| --- | --- | --- |\n");
		Set<String> hops = new LinkedHashSet<>(cold.keySet());
		hops.addAll(warm.keySet());
		for (String hop : hops) {
			md.append("| ")
				.append(hop)
				.append(" | ")
				.append(cold.getOrDefault(hop, ""))
				.append(" | ")
				.append(warm.getOrDefault(hop, ""))
				.append(" |\n");
		}
	}

	@SuppressWarnings("unchecked")
	private void pipelineSections(StringBuilder md) {
		Map<String, Object> single = map("single");
		Map<String, Object> c4 = map("batch_c4_1worker");
		Map<String, Object> two = map("batch_c4_2workers");
		Map<String, Object> c1 = map("batch_c1_1worker");
		Map<String, Object> small = map("small_uploads");
		Map<String, Object> big = map("big_upload");
		Map<String, Object> memory = map("memory");
		Map<String, Object> first = map("first");
		Map<String, Object> ffmpeg = map("ffmpeg");
		double scaleOut = number(c4, "makespan") / number(two, "makespan");
		md.append("\n## Single video\n\n");
		if (first != null) {
			md.append(String.format(Locale.ROOT,
					"The first video, uploaded as soon as the API and the worker report ready (what a user does after `make run`): %.2f s from the upload's answer to `success`.%n%n",
					number(first, "seconds")));
		}
		md.append(String.format(Locale.ROOT,
				"From the upload's answer to status `success`, one video at a time after the first: median %.2f s, max %.2f s, against a floor of %.1f s (one mock transcode). The original lab's design, one rendition after another, takes 4 x %.1f s = %.1f s.%n",
				number(single, "median"), number(single, "max"), number(single, "floor"), number(single, "floor"),
				4 * number(single, "floor")));
		timelines(md, first, single);
		md.append("\n## Batch: ").append(this.options.videos()).append(" videos uploaded at once\n\n");
		md.append(
				"| Run | Makespan | Floor ceil(4N/C) x t | Floor / makespan | Completion p50 / p95 / max | Upload to fan-out p50 / p95 / max |\n");
		md.append("| --- | --- | --- | --- | --- | --- |\n");
		RUNS.forEach((key, label) -> {
			Map<String, Object> run = map(key);
			if (run == null) {
				return;
			}
			Map<String, Object> completion = (Map<String, Object>) run.get("completion");
			Map<String, Object> fanOut = (Map<String, Object>) run.get("uploadToFanOut");
			md.append(String.format(Locale.ROOT,
					"| %s | %.1f s | %.1f s | %.2f | %.1f / %.1f / %.1f s | %.1f / %.1f / %.1f s |%n", label,
					number(run, "makespan"), number(run, "floor"), number(run, "floorOverMakespan"),
					number(completion, "p50"), number(completion, "p95"), number(completion, "max"),
					number(fanOut, "p50"), number(fanOut, "p95"), number(fanOut, "max")));
		});
		md.append(String.format(Locale.ROOT,
				"%nThe default design finishes the batch %.1fx faster than the original one (concurrency 1). Completion and fan-out times are read by polling the API every 200 ms, so they are that coarse.%n",
				number(c1, "makespan") / number(c4, "makespan")));
		md.append("\n![Per-video completion times](benchmarks/completion-times.png)\n");
		md.append("\n## Upload path\n\n");
		md.append(String.format(Locale.ROOT,
				"- %d uploads of 1 MB from 16 concurrent clients: %.1f uploads/s, latency p50 %.3f s, p99 %.3f s.%n",
				((Number) small.get("uploads")).intValue(), number(small, "perSecond"), number(small, "p50"),
				number(small, "p99")));
		md.append(String.format(Locale.ROOT,
				"- One %d MB upload: %.1f MB/s through the API (multipart), against %.1f MB/s writing the same bytes straight into GridFS's default bucket with the Java driver (%.2fx); medians of %d rounds that alternate the ways (API %s, raw %s MB/s). The API streams the file part into GridFS as it arrives, with nothing spooled to disk.%n",
				((Number) big.get("bytes")).longValue() >> 20, number(big, "apiMBps"), number(big, "rawGridFsMBps"),
				number(big, "ratio"), ((Number) big.get("rounds")).intValue(), figures(big, "apiRunsMBps"),
				figures(big, "rawGridFsRunsMBps")));
		Map<String, Object> warmUp = (Map<String, Object>) big.get("warmUp");
		if (warmUp != null) {
			md.append(String.format(Locale.ROOT,
					"- Before the counted rounds, %d warm-up rounds of the same three ways, while the JIT compiler still compiles these paths (measured in the API): multipart %s, tus %s, raw %s MB/s (not counted).%n",
					((Number) warmUp.get("rounds")).intValue(), figures(warmUp, "apiRunsMBps"),
					figures(warmUp, "tusRunsMBps"), figures(warmUp, "rawGridFsRunsMBps")));
		}
		if (big.containsKey("apiReadMBps")) {
			md.append(String.format(Locale.ROOT,
					"- The same %d MB read back whole: %.1f MB/s through the API (`GET /v1/videos/{id}/content`), against %.1f MB/s reading it straight from GridFS with the Java driver (%.2fx); medians of %d rounds (API %s, raw %s MB/s). Both read the chunks in batches of at most 8 MB, as the local stack's MongoDB-wire server answers them.%n",
					((Number) big.get("bytes")).longValue() >> 20, number(big, "apiReadMBps"),
					number(big, "rawGridFsReadMBps"), number(big, "readRatio"), ((Number) big.get("rounds")).intValue(),
					figures(big, "apiReadRunsMBps"), figures(big, "rawGridFsReadRunsMBps")));
		}
		if (big.containsKey("tusMBps")) {
			md.append(String.format(Locale.ROOT,
					"- The same %d MB by tus (a creation, then `PATCH` bodies of %d MB): %.1f MB/s (%.2fx of raw GridFS; rounds %s MB/s), in the same rounds.%n",
					((Number) big.get("bytes")).longValue() >> 20,
					((Number) big.get("tusPatchBytes")).longValue() >> 20, number(big, "tusMBps"),
					number(big, "tusRatio"), figures(big, "tusRunsMBps")));
		}
		Map<String, Object> perGb = (Map<String, Object>) big.get("apiCpuSecondsPerGb");
		if (perGb != null) {
			md.append(String.format(Locale.ROOT,
					"- The API's CPU seconds per GB stored (medians): %.1f by multipart, %.1f by tus.%n",
					number(perGb, "multipart"), number(perGb, "tus")));
		}
		Map<String, Object> cpu = (Map<String, Object>) big.get("cpuSecondsMedian");
		if (cpu != null) {
			md.append(String.format(Locale.ROOT,
					"- Where the time goes, in CPU seconds per upload (medians): through the API, %.1f s of wall time, the API used %.1f, the MongoDB-wire server %.1f and the benchmark's client %.1f; straight into GridFS, %.1f s of wall time, the server used %.1f and the benchmark %.1f. On %s cores.%n",
					number(cpu, "api.wall"), number(cpu, "api.api"), number(cpu, "api.mongo"),
					number(cpu, "api.benchmark"), number(cpu, "raw.wall"), number(cpu, "raw.mongo"),
					number(cpu, "raw.benchmark"), ((Map<String, Object>) this.results.get("machine")).get("cores")));
		}
		if (cpu != null && cpu.containsKey("tus.wall")) {
			md.append(String.format(Locale.ROOT,
					"- By tus: %.1f s of wall time, the API used %.1f CPU seconds, the MongoDB-wire server %.1f and the benchmark's client %.1f.%n",
					number(cpu, "tus.wall"), number(cpu, "tus.api"), number(cpu, "tus.mongo"),
					number(cpu, "tus.benchmark")));
		}
		md.append(String.format(Locale.ROOT,
				"- One %d MB upload to an API started with `-Xmx256m`: %s; the heap peaked at %d MB (sampled every 200 ms from `/actuator/prometheus`).%n",
				((Number) memory.get("bytes")).longValue() >> 20, (Boolean) memory.get("stored") ? "stored" : "failed",
				((Number) memory.get("peakHeapBytes")).longValue() >> 20));
		md.append("\n## Scale-out\n\n");
		if (two.containsKey("date")) {
			md.append(String.format(Locale.ROOT,
					"Measured %s; `make bench ARGS=--scale-only` runs the batches with 1, 2 and 4 workers alone and keeps the other figures. Each batch starts once the renditions group has settled, every consumer holding partitions: a worker added to a busy group waits for a cooperative rebalance to move partitions to it (about 3 s here, the mock's transcode, since a rebalance waits for every consumer's next poll), and a worker reports ready only once the group has settled.%n%n",
					String.valueOf(two.get("date")).substring(0, 10)));
		}
		md.append(String.format(Locale.ROOT,
				"The same batch with 2 worker processes (concurrency 4 each) took %.1f s against %.1f s with one: %.2fx the throughput.%n",
				number(two, "makespan"), number(c4, "makespan"), scaleOut));
		Map<String, Object> four = map("batch_c4_4workers");
		if (four != null) {
			md.append(String.format(Locale.ROOT,
					"With 4 worker processes (16 rendition consumers on 24 partitions) it took %.1f s: %.2fx the throughput of one. [docs/scaling.md](scaling.md) reads these figures into a capacity plan.%n",
					number(four, "makespan"), number(c4, "makespan") / number(four, "makespan")));
		}
		if (ffmpeg != null) {
			md.append("\n## Real renditions (ffmpeg)\n\n");
			if (ffmpeg.containsKey("ratio")) {
				Map<String, Object> ffmpegCpu = (Map<String, Object>) ffmpeg.get("cpuSecondsMedian");
				md.append(String.format(Locale.ROOT,
						"A clip of %s, uploaded to the pipeline with `video.stream.transcoder=ffmpeg` (%s rendition consumers, the default: one per core): %.1f s from the upload's answer to `success` (median of %s), against %.1f s for the same three encodes (360, 480, 720; the 1080 is the 720) run directly with the worker's own ffmpeg command lines, as many at once (%s): %.2fx. Rounds alternate the two.%n%n",
						ffmpeg.get("clip"), ffmpeg.get("renditionConsumers"), number(ffmpeg, "pipelineMedian"),
						figures(ffmpeg, "pipelineSeconds"), number(ffmpeg, "directMedian"),
						figures(ffmpeg, "directSeconds"), number(ffmpeg, "ratio")));
				md.append(String.format(Locale.ROOT,
						"CPU seconds per video (medians, children included: the worker's count its ffmpeg and ffprobe runs): the worker %.1f, the API %.1f, the MongoDB-wire server %.1f; the direct encodes %.1f.%n",
						number(ffmpegCpu, "pipeline.worker"), number(ffmpegCpu, "pipeline.api"),
						number(ffmpegCpu, "pipeline.mongo"), number(ffmpegCpu, "direct.ffmpeg")));
				if (ffmpeg.containsKey("mp4OnlyMedian")) {
					md.append(String.format(Locale.ROOT,
							"%nThe HLS ladder against the MP4-only encodes it replaced (the worker's command line before HLS: progressive MP4, no cap, x264's own keyframes, AAC encoded per rendition), the same three run directly as many at once, alternating with the above: %.1f s (%s) against %.1f s (%s), %.2fx the time; %d bytes against %d for the three files, %.2fx the bytes. Each HLS file serves both progressive playback and HLS, so it is all that is stored.%n",
							number(ffmpeg, "directMedian"), figures(ffmpeg, "directSeconds"),
							number(ffmpeg, "mp4OnlyMedian"), figures(ffmpeg, "mp4OnlySeconds"),
							number(ffmpeg, "directMedian") / number(ffmpeg, "mp4OnlyMedian"),
							(long) number(ffmpeg, "hlsBytes"), (long) number(ffmpeg, "mp4OnlyBytes"),
							number(ffmpeg, "hlsBytes") / number(ffmpeg, "mp4OnlyBytes")));
				}
			}
			else {
				md.append("Skipped: ").append(ffmpeg.get("skipped")).append(".\n");
			}
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
		target(md,
				"Soak: " + soak.get("clients") + " clients mixing uploads, reads, range reads and deletes for "
						+ Math.round(number(soak, "seconds")) + " s",
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
					"After gigabytes (`make bench ARGS=--soak-after-uploads`): the soak below on a fresh stack made %.0f requests a second; then a 1 GB video was kept and %d GB uploaded and deleted through the API in 512 MB videos (%.0f s), and the same soak again made %.0f a second (%.2fx). The MongoDB-wire server's store took %s on disk after the first soak, %s after the uploads and deletes, %s after the second soak and %s once the server stopped, for %s that the kept videos hold (as `du` counts it).%n%n",
					number(churn, "freshPerSecond"), ((Number) churn.get("churnBytes")).longValue() >> 30,
					number(churn, "churnSeconds"), number(churn, "afterPerSecond"), number(churn, "ratio"),
					megabytes(churn, "storeBytesAfterFreshSoak"), megabytes(churn, "storeBytesAfterChurn"),
					megabytes(churn, "storeBytesAfterSecondSoak"), megabytes(churn, "storeBytesAfterStop"),
					megabytes(churn, "keptBytes")));
		}
		md.append(String.format(Locale.ROOT,
				"Measured %s on %s cores; `make bench ARGS=--soak-only` runs this part alone and keeps the other figures. %s clients, each on a thread of its own with videos of its own, ran for %.0f s against an API started as `make run` starts it (`-Xmx512m`) and one worker (mock transcode %s ms, so that it keeps up), each doing a weighted random mix: uploads %s%% (the real two-second sample MP4, padded to a random size up to 512 KB), `GET /v1/videos?limit=20` %s%%, `GET /v1/videos/{id}` %s%%, range reads of `/v1/videos/{id}/content` %s%% (up to 64 KB at a random offset: 206 expected, the bytes and `Content-Range` checked) and deletes %s%% (of its own videos). A 503 with `Retry-After` to an upload counts as refused by the upload cap, and the upload is tried again after that delay; any other 5xx is a failure, and so is any answer other than the one expected, since a client only asks for its own videos.%n%n",
				String.valueOf(soak.get("date")).substring(0, 10), soak.get("cores"), soak.get("clients"),
				number(soak, "seconds"), soak.get("transcodeMs"), mix.get("upload"), mix.get("list"), mix.get("get"),
				mix.get("range"), mix.get("delete")));
		md.append(String.format(Locale.ROOT,
				"- Requests: %d (%.0f/s); by status class: %s. 5xx: %d; refused by the upload cap: %d; other failures (unexpected status, no answer, wrong bytes): %d.%n",
				((Number) soak.get("requests")).longValue(), number(soak, "perSecond"), classes(classes),
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
				((Number) soak.get("kept")).longValue(), number(soak, "drainSeconds"), classes(outcome),
				((Number) soak.get("lost")).longValue(), ((Number) soak.get("deletedStillThere")).longValue()));
		List<Map<String, Object>> marks = (List<Map<String, Object>>) heap.get("marks");
		String collection = (Boolean) heap.get("afterFullGc") ? "right after a full collection (`jcmd GC.run`)"
				: "(no full collection could be asked for)";
		md.append(String.format(Locale.ROOT,
				"- API heap used, %s: %d MB idle before the load; under load %s; %d MB idle after the run: %s. Sampled every second under load: at most %d MB, median of the first %d s %d MB and of the last %d s %d MB (these follow the size the collector gives the young generation more than what stays live).%n",
				collection, mb(heap, "start"),
				marks.stream()
					.map((mark) -> String.format(Locale.ROOT, "%d MB at %.0f s",
							((Number) mark.get("heap")).longValue() >> 20, number(mark, "second")))
					.collect(Collectors.joining(", ")),
				mb(heap, "end"), (Boolean) heap.get("flat") ? "flat" : "**not flat**", mb(heap, "max"),
				Soak.WINDOW.toSeconds(), mb(heap, "firstWindowMedian"), Soak.WINDOW.toSeconds(),
				mb(heap, "lastWindowMedian")));
		md.append(String.format(Locale.ROOT,
				"- API open files: %s idle before the load; under load %s; %s idle after the run; at most %s: %s.%n",
				files.get("start"),
				marks.stream()
					.map((mark) -> String.format(Locale.ROOT, "%s at %.0f s", mark.get("openFiles"),
							number(mark, "second")))
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

	@SuppressWarnings("unchecked")
	private static String figures(Map<String, Object> values, String key) {
		return ((List<Double>) values.get(key)).stream()
			.map((value) -> String.format(Locale.ROOT, "%.1f", value))
			.collect(Collectors.joining(", "));
	}

	static void target(StringBuilder md, String measure, String target, String measured, boolean met) {
		md.append("| ")
			.append(measure)
			.append(" | ")
			.append(target)
			.append(" | ")
			.append(measured)
			.append(" | ")
			.append(met ? "yes" : "**no**")
			.append(" |\n");
	}

	/** The share of videos done against the time since their upload's answer, per run. */
	@SuppressWarnings("unchecked")
	private void chart(Path file) throws IOException {
		int width = 900;
		int height = 500;
		int left = 70;
		int bottom = 60;
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
		g.setColor(Color.WHITE);
		g.fillRect(0, 0, width, height);
		double maxSeconds = RUNS.keySet()
			.stream()
			.filter((key) -> map(key) != null)
			.flatMap((key) -> ((List<Double>) map(key).get("completionSeconds")).stream())
			.mapToDouble(Double::doubleValue)
			.max()
			.orElse(1);
		int plotWidth = width - left - 220;
		int plotHeight = height - bottom - 40;
		g.setColor(Color.BLACK);
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
		g.drawLine(left, 40 + plotHeight, left + plotWidth, 40 + plotHeight);
		g.drawLine(left, 40, left, 40 + plotHeight);
		for (int i = 0; i <= 5; i++) {
			int x = left + plotWidth * i / 5;
			g.drawString(String.format(Locale.ROOT, "%.0f s", maxSeconds * i / 5), x - 10, 40 + plotHeight + 18);
			int y = 40 + plotHeight - plotHeight * i / 5;
			g.drawString((20 * i) + "%", left - 40, y + 4);
		}
		g.drawString("seconds from the upload's answer to status success", left + 60, height - 15);
		g.drawString("Videos complete, per run", left, 25);
		Color[] colors = { new Color(0x1f77b4), new Color(0x2ca02c), new Color(0x9467bd), new Color(0xd62728) };
		int series = 0;
		for (Map.Entry<String, String> run : RUNS.entrySet()) {
			if (map(run.getKey()) == null) {
				continue;
			}
			List<Double> seconds = ((List<Double>) map(run.getKey()).get("completionSeconds")).stream()
				.sorted()
				.toList();
			g.setColor(colors[series]);
			g.setStroke(new BasicStroke(2.5f));
			int previousX = left;
			int previousY = 40 + plotHeight;
			for (int i = 0; i < seconds.size(); i++) {
				int x = left + (int) (plotWidth * seconds.get(i) / maxSeconds);
				int y = 40 + plotHeight - plotHeight * (i + 1) / seconds.size();
				g.drawLine(previousX, previousY, x, previousY);
				g.drawLine(x, previousY, x, y);
				previousX = x;
				previousY = y;
			}
			g.fillRect(left + plotWidth + 20, 60 + 24 * series, 14, 14);
			g.setColor(Color.BLACK);
			g.drawString(LEGEND.get(run.getKey()), left + plotWidth + 40, 72 + 24 * series);
			series++;
		}
		g.dispose();
		ImageIO.write(image, "png", file.toFile());
	}

}
