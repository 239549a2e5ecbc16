package dev.labkafka.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.imageio.ImageIO;

import dev.labkafka.processes.LocalPipeline;
import dev.labkafka.processes.PipelineClient;
import dev.labkafka.videos.VideoStatus;

/**
 * Batches of N videos uploaded at once, each through workers of the mock transcoder: with
 * 1, 2 and 4 workers of concurrency 4 (the default), how throughput grows with worker
 * processes, and with one worker of concurrency 1 (the original lab's design). Each
 * batch's makespan is measured against the floor ceil(4N / C) x the transcode time, C
 * being the rendition consumers in all. Its figures are {@code batch_*}.
 */
final class BatchBench {

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

	private final LocalPipeline stack;

	private final PipelineClient client;

	private final Options options;

	BatchBench(LocalPipeline stack, PipelineClient client, Options options) {
		this.stack = stack;
		this.client = client;
		this.options = options;
	}

	/**
	 * The batch with 1, 2 and 4 workers of concurrency 4 (the default). Leaves no worker
	 * running.
	 */
	Map<String, Object> scaleOut() throws Exception {
		Map<String, Object> results = new LinkedHashMap<>();
		results.put("batch_c4_1worker", withWorkers(1, 4));
		results.put("batch_c4_2workers", withWorkers(2, 4));
		results.put("batch_c4_4workers", withWorkers(4, 4));
		return results;
	}

	/** The batch with one worker of concurrency 1. Leaves no worker running. */
	Map<String, Object> original() throws Exception {
		return Map.of("batch_c1_1worker", withWorkers(1, 1));
	}

	private Map<String, Object> withWorkers(int workers, int concurrency) throws Exception {
		Workers.startWorkers(this.stack, workers, concurrency, this.options.transcode());
		Map<String, Object> batch = batch(concurrency, workers);
		this.stack.stopAll("stream");
		return batch;
	}

	/**
	 * N videos uploaded at once: the makespan until all 4N renditions are done, against
	 * the floor ceil(4N / C) x transcode time, where C is the rendition consumers in all.
	 */
	private Map<String, Object> batch(int concurrency, int workers) throws Exception {
		int n = this.options.videos();
		int consumers = concurrency * workers;
		Map<String, Long> answered = new ConcurrentHashMap<>();
		long start = System.nanoTime();
		ExecutorService uploaders = Executors.newFixedThreadPool(8);
		List<Future<?>> uploads = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			uploads.add(uploaders.submit(() -> answered.put(this.client.upload(64 << 10), System.nanoTime())));
		}
		Map<String, Long> fannedOut = new LinkedHashMap<>();
		Map<String, Long> done = new LinkedHashMap<>();
		double floor = Math.ceil(4.0 * n / consumers) * this.options.transcode().toMillis() / 1000.0;
		long deadline = start + Duration.ofSeconds((long) (floor * 3) + 300).toNanos();
		while (done.size() < n) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Batch did not complete: " + done.size() + " of " + n);
			}
			Map<String, String> statuses = this.client.statuses(n);
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
			Benchmark.pause(Duration.ofMillis(200));
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
		Benchmark.log("Batch of %d, %d worker(s) x %d: makespan %.1f s, floor %.1f s".formatted(n, workers, concurrency,
				makespan, floor));
		return result;
	}

	/** The rows of the targets, if these figures were measured. */
	static void targets(StringBuilder md, Map<String, Object> results) {
		Map<String, Object> c4 = Report.map(results, "batch_c4_1worker");
		if (c4 == null) {
			return;
		}
		Report.target(md, "Batch: floor / makespan", "at least 0.9",
				String.format(Locale.ROOT, "%.2f", Report.number(c4, "floorOverMakespan")),
				Report.number(c4, "floorOverMakespan") >= 0.9);
		Map<String, Object> two = Report.map(results, "batch_c4_2workers");
		if (two != null) {
			double scaleOut = Report.number(c4, "makespan") / Report.number(two, "makespan");
			Report.target(md, "Scale-out: throughput with 2 workers / 1", "at least 1.8",
					String.format(Locale.ROOT, "%.2fx", scaleOut), scaleOut >= 1.8);
		}
		Map<String, Object> four = Report.map(results, "batch_c4_4workers");
		if (four != null) {
			double scaleOut4 = Report.number(c4, "makespan") / Report.number(four, "makespan");
			Report.target(md, "Scale-out: throughput with 4 workers / 1", "at least 3.5",
					String.format(Locale.ROOT, "%.2fx", scaleOut4), scaleOut4 >= 3.5);
		}
	}

	/** The sections, if these figures were measured. */
	@SuppressWarnings("unchecked")
	static void section(StringBuilder md, Map<String, Object> results) {
		Map<String, Object> c4 = Report.map(results, "batch_c4_1worker");
		if (c4 == null) {
			return;
		}
		Map<String, Object> c1 = Report.map(results, "batch_c1_1worker");
		Map<String, Object> two = Report.map(results, "batch_c4_2workers");
		md.append("\n## Batch: ").append(((Number) c4.get("videos")).intValue()).append(" videos uploaded at once\n\n");
		md.append(
				"| Run | Makespan | Floor ceil(4N/C) x t | Floor / makespan | Completion p50 / p95 / max | Upload to fan-out p50 / p95 / max |\n");
		md.append("| --- | --- | --- | --- | --- | --- |\n");
		RUNS.forEach((key, label) -> {
			Map<String, Object> run = Report.map(results, key);
			if (run == null) {
				return;
			}
			Map<String, Object> completion = (Map<String, Object>) run.get("completion");
			Map<String, Object> fanOut = (Map<String, Object>) run.get("uploadToFanOut");
			md.append(String.format(Locale.ROOT,
					"| %s | %.1f s | %.1f s | %.2f | %.1f / %.1f / %.1f s | %.1f / %.1f / %.1f s |%n", label,
					Report.number(run, "makespan"), Report.number(run, "floor"),
					Report.number(run, "floorOverMakespan"), Report.number(completion, "p50"),
					Report.number(completion, "p95"), Report.number(completion, "max"), Report.number(fanOut, "p50"),
					Report.number(fanOut, "p95"), Report.number(fanOut, "max")));
		});
		md.append("\n");
		if (c1 != null) {
			md.append(String.format(Locale.ROOT,
					"The default design finishes the batch %.1fx faster than the original one (concurrency 1). ",
					Report.number(c1, "makespan") / Report.number(c4, "makespan")));
		}
		md.append("Completion and fan-out times are read by polling the API every 200 ms, so they are that coarse.\n");
		md.append("\n![Per-video completion times](benchmarks/completion-times.png)\n");
		if (two == null) {
			return;
		}
		md.append("\n## Scale-out\n\n");
		if (two.containsKey("date")) {
			md.append(String.format(Locale.ROOT,
					"Measured %s; `make bench ARGS=--scale-only` runs the batches with 1, 2 and 4 workers alone and keeps the other figures. Each batch starts once the renditions group has settled, every consumer holding partitions: a worker added to a busy group waits for a cooperative rebalance to move partitions to it (about 3 s here, the mock's transcode, since a rebalance waits for every consumer's next poll), and a worker reports ready only once the group has settled.%n%n",
					String.valueOf(two.get("date")).substring(0, 10)));
		}
		md.append(String.format(Locale.ROOT,
				"The same batch with 2 worker processes (concurrency 4 each) took %.1f s against %.1f s with one: %.2fx the throughput.%n",
				Report.number(two, "makespan"), Report.number(c4, "makespan"),
				Report.number(c4, "makespan") / Report.number(two, "makespan")));
		Map<String, Object> four = Report.map(results, "batch_c4_4workers");
		if (four != null) {
			md.append(String.format(Locale.ROOT,
					"With 4 worker processes (16 rendition consumers on 24 partitions) it took %.1f s: %.2fx the throughput of one. [docs/scaling.md](scaling.md) reads these figures into a capacity plan.%n",
					Report.number(four, "makespan"), Report.number(c4, "makespan") / Report.number(four, "makespan")));
		}
	}

	/** The share of videos done against the time since their upload's answer, per run. */
	@SuppressWarnings("unchecked")
	static void chart(Map<String, Object> results, Path file) throws IOException {
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
			.filter((key) -> Report.map(results, key) != null)
			.flatMap((key) -> ((List<Double>) Report.map(results, key).get("completionSeconds")).stream())
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
			if (Report.map(results, run.getKey()) == null) {
				continue;
			}
			List<Double> seconds = ((List<Double>) Report.map(results, run.getKey()).get("completionSeconds")).stream()
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
