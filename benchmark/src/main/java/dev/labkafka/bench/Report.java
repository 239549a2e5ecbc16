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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import javax.imageio.ImageIO;

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
		RUNS.put("batch_c1_1worker", "1 worker, concurrency 1 (the original lab's design)");
	}

	private static final Map<String, String> LEGEND = Map.of("batch_c4_1worker", "1 worker x 4 (default)",
			"batch_c4_2workers", "2 workers x 4", "batch_c1_1worker", "1 worker x 1 (original)");

	private final Benchmark.Options options;

	private final Map<String, Object> results;

	Report(Benchmark.Options options, Map<String, Object> results) {
		this.options = options;
		this.results = results;
	}

	/** Writes the report again from the figures of the last run in {@code out}. */
	@SuppressWarnings("unchecked")
	static void rewrite(Benchmark.Options options) throws IOException {
		Map<String, Object> results = JsonMapper.builder()
			.build()
			.readValue(options.out().resolve("benchmarks").resolve("results.json").toFile(), LinkedHashMap.class);
		Map<String, Object> measured = (Map<String, Object>) results.get("options");
		Benchmark.Options asMeasured = new Benchmark.Options((Boolean) measured.get("quick"),
				((Number) measured.get("videos")).intValue(),
				Duration.ofMillis(((Number) measured.get("transcodeMs")).longValue()), options.smallUploads(),
				options.bigUpload(), options.memoryUpload(), options.out(), options.root());
		new Report(asMeasured, results).write();
	}

	void write() throws IOException {
		Path assets = this.options.out().resolve("benchmarks");
		Files.createDirectories(assets);
		JsonMapper.builder()
			.enable(SerializationFeature.INDENT_OUTPUT)
			.build()
			.writeValue(assets.resolve("results.json").toFile(), this.results);
		chart(assets.resolve("completion-times.png"));
		Files.writeString(this.options.out().resolve("benchmarks.md"), markdown());
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> map(String key) {
		return (Map<String, Object>) this.results.get(key);
	}

	private static double number(Map<String, Object> map, String key) {
		return ((Number) map.get(key)).doubleValue();
	}

	@SuppressWarnings("unchecked")
	private String markdown() throws IOException {
		Map<String, Object> single = map("single");
		Map<String, Object> c4 = map("batch_c4_1worker");
		Map<String, Object> two = map("batch_c4_2workers");
		Map<String, Object> c1 = map("batch_c1_1worker");
		Map<String, Object> small = map("small_uploads");
		Map<String, Object> big = map("big_upload");
		Map<String, Object> memory = map("memory");
		double scaleOut = number(c4, "makespan") / number(two, "makespan");
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
		Map<String, Object> first = map("first");
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
		target(md, "Upload of " + (((Number) memory.get("bytes")).longValue() >> 20) + " MB to an API with -Xmx256m",
				"stored",
				(Boolean) memory.get("stored")
						? "stored, peak heap " + (((Number) memory.get("peakHeapBytes")).longValue() >> 20) + " MB"
						: "failed",
				(Boolean) memory.get("stored"));
		target(md, "Scale-out: throughput with 2 workers / 1", "at least 1.8",
				String.format(Locale.ROOT, "%.2fx", scaleOut), scaleOut >= 1.8);
		Map<String, Object> ffmpeg = map("ffmpeg");
		if (ffmpeg != null && ffmpeg.containsKey("ratio")) {
			target(md, "ffmpeg: a 720p 10 s clip through the pipeline / the same encodes run directly", "at most 1.3x",
					String.format(Locale.ROOT, "%.2fx (%.1f against %.1f s)", number(ffmpeg, "ratio"),
							number(ffmpeg, "pipelineMedian"), number(ffmpeg, "directMedian")),
					number(ffmpeg, "ratio") <= 1.3);
		}
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
		md.append("\n## Batch: ").append(this.options.videos()).append(" videos uploaded at once\n\n");
		md.append(
				"| Run | Makespan | Floor ceil(4N/C) x t | Floor / makespan | Completion p50 / p95 / max | Upload to fan-out p50 / p95 / max |\n");
		md.append("| --- | --- | --- | --- | --- | --- |\n");
		RUNS.forEach((key, label) -> {
			Map<String, Object> run = map(key);
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
				"- One %d MB upload: %.1f MB/s through the API, against %.1f MB/s writing the same bytes straight into GridFS with the Java driver (%.2fx); medians of %d rounds that alternate the two (API %s, raw %s MB/s). The API streams the file part into GridFS as it arrives, with nothing spooled to disk.%n",
				((Number) big.get("bytes")).longValue() >> 20, number(big, "apiMBps"), number(big, "rawGridFsMBps"),
				number(big, "ratio"), ((Number) big.get("rounds")).intValue(), figures(big, "apiRunsMBps"),
				figures(big, "rawGridFsRunsMBps")));
		Map<String, Object> cpu = (Map<String, Object>) big.get("cpuSecondsMedian");
		if (cpu != null) {
			md.append(String.format(Locale.ROOT,
					"- Where the time goes, in CPU seconds per upload (medians): through the API, %.1f s of wall time, the API used %.1f, the MongoDB-wire server %.1f and the benchmark's client %.1f; straight into GridFS, %.1f s of wall time, the server used %.1f and the benchmark %.1f. On %s cores.%n",
					number(cpu, "api.wall"), number(cpu, "api.api"), number(cpu, "api.mongo"),
					number(cpu, "api.benchmark"), number(cpu, "raw.wall"), number(cpu, "raw.mongo"),
					number(cpu, "raw.benchmark"), ((Map<String, Object>) this.results.get("machine")).get("cores")));
		}
		md.append(String.format(Locale.ROOT,
				"- One %d MB upload to an API started with `-Xmx256m`: %s; the heap peaked at %d MB (sampled every 200 ms from `/actuator/prometheus`).%n",
				((Number) memory.get("bytes")).longValue() >> 20, (Boolean) memory.get("stored") ? "stored" : "failed",
				((Number) memory.get("peakHeapBytes")).longValue() >> 20));
		md.append("\n## Scale-out\n\n");
		md.append(String.format(Locale.ROOT,
				"The same batch with 2 worker processes (concurrency 4 each) took %.1f s against %.1f s with one: %.2fx the throughput.%n",
				number(two, "makespan"), number(c4, "makespan"), scaleOut));
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
			}
			else {
				md.append("Skipped: ").append(ffmpeg.get("skipped")).append(".\n");
			}
		}
		md.append("\nRaw figures: [benchmarks/results.json](benchmarks/results.json).\n");
		Path analysis = this.options.out().resolve("benchmarks").resolve("analysis.md");
		if (Files.exists(analysis)) {
			md.append("\n").append(Files.readString(analysis));
		}
		return md.toString();
	}

	@SuppressWarnings("unchecked")
	private static String figures(Map<String, Object> values, String key) {
		return ((List<Double>) values.get(key)).stream()
			.map((value) -> String.format(Locale.ROOT, "%.1f", value))
			.collect(Collectors.joining(", "));
	}

	private static void target(StringBuilder md, String measure, String target, String measured, boolean met) {
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
		Color[] colors = { new Color(0x1f77b4), new Color(0x2ca02c), new Color(0xd62728) };
		int series = 0;
		for (Map.Entry<String, String> run : RUNS.entrySet()) {
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
