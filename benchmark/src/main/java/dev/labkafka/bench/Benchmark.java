package dev.labkafka.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.labkafka.processes.LocalPipeline;
import dev.labkafka.processes.PipelineClient;

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

	private void run() throws Exception {
		Path work = this.options.root().resolve("target").resolve("bench-" + System.currentTimeMillis());
		Files.createDirectories(work);
		log("Benchmark " + (this.options.quick() ? "(quick) " : "") + "of " + this.options.videos()
				+ " videos, transcode " + this.options.transcode().toMillis() + " ms; processes and logs in " + work);
		this.results.putAll(Report.measuredOn(this.options));
		try (LocalPipeline stack = new LocalPipeline(this.options.root(), work)) {
			stack.startInfrastructure();
			PipelineClient client = latency(stack);
			BatchBench batches = new BatchBench(stack, client, this.options);
			this.results.putAll(batches.scaleOut());
			this.results.putAll(batches.original());
			this.results.putAll(new FfmpegBench(stack, client, work, this.options.quick()).run());
			// The upload path is measured on the API alone: no worker probes the uploads
			// meanwhile.
			stack.stopAll("stream");
			this.results.putAll(new UploadBench(stack, client, this.options).run());
			stack.stop(LocalPipeline.API);
			stack.startApi("-Xmx256m");
			this.results.putAll(UploadBench.memory(new PipelineClient(stack.apiUrl()), this.options.memoryUpload()));
			stack.stop(LocalPipeline.API);
			this.results.put("soak", new SoakBench(stack, this.options).soak());
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
		partOnly("Soak test alone, " + this.options.soak().toSeconds() + " s",
				(stack) -> this.results.put("soak", new SoakBench(stack, this.options).soak()));
	}

	/**
	 * Whether the local stack stays fast after gigabytes
	 * ({@link SoakBench#afterUploads}): its figures replace the soak's in the report, the
	 * others stay as they were measured.
	 */
	private void soakAfterUploads() throws Exception {
		partOnly("The soak on a fresh stack, then after " + (SoakBench.CHURN >> 30) + " GB uploaded and deleted",
				(stack) -> this.results.putAll(new SoakBench(stack, this.options).afterUploads()));
	}

	/**
	 * The upload path alone (see {@link UploadBench}), on a pipeline of its own with no
	 * worker; its figures replace those in the report.
	 */
	private void uploadsOnly() throws Exception {
		partOnly("The upload path alone", (stack) -> {
			stack.startApi("-Xmx512m");
			// A worker makes the topics the API announces on, as in the full run; the
			// upload path is then measured without one.
			Workers.startWorkers(stack, 1, 1, this.options.transcode());
			stack.stopAll("stream");
			this.results.putAll(new UploadBench(stack, new PipelineClient(stack.apiUrl()), this.options).run());
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
			this.results.putAll(new BatchBench(stack, new PipelineClient(stack.apiUrl()), this.options).scaleOut());
			stack.stop(LocalPipeline.API);
		});
	}

	/**
	 * The real renditions alone (see {@link FfmpegBench}), on a pipeline of its own;
	 * their figures replace those in the report, and the other figures stay as they were
	 * measured.
	 */
	private void ffmpegOnly() throws Exception {
		partOnly("Real renditions (ffmpeg) alone", (stack) -> {
			stack.startApi("-Xmx512m");
			Path work = Files.createTempDirectory(this.options.root().resolve("target"), "bench-ffmpeg-");
			this.results
				.putAll(new FfmpegBench(stack, new PipelineClient(stack.apiUrl()), work, this.options.quick()).run());
			stack.stop(LocalPipeline.API);
		});
	}

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
	 * and the five after it ({@link LatencyBench}); the worker is stopped after them, the
	 * API left running.
	 * @return a client of the API
	 */
	private PipelineClient latency(LocalPipeline stack) throws IOException {
		stack.startApi("-Xmx512m");
		// Ready, as make run says it, not yet settled: what the first user meets.
		Workers.startReadyWorkers(stack, 1, 4, this.options.transcode());
		PipelineClient client = new PipelineClient(stack.apiUrl());
		this.results.putAll(new LatencyBench(stack, client, this.options.transcode()).run());
		stack.stopAll("stream");
		return client;
	}

	/**
	 * A long video in segments alone (see {@link SegmentBench}), on a pipeline of its
	 * own; its figures replace those in the report, the others stay as they were
	 * measured.
	 */
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
			this.results.putAll(Report.measuredOn(this.options));
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

}
