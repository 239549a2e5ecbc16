package dev.labkafka.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.labkafka.messages.VideoMessage;
import dev.labkafka.processes.LocalPipeline;
import dev.labkafka.processes.PipelineClient;
import dev.labkafka.stream.media.MediaProcess;
import dev.labkafka.stream.media.MediaTools;
import dev.labkafka.videos.VideoStatus;

/**
 * Segment-parallel transcoding of a long video (see docs/media.md): a 1920x1080 30 fps
 * clip of moving, noisy content, made here with ffmpeg, through the pipeline with the
 * ffmpeg transcoder, one encode thread, each worker and its ffmpeg bound to a core of its
 * own ({@code taskset}) so that each stands in for a one-core machine:
 * <ul>
 * <li>the floor: the same ladder (360, 480, 720, 1080) encoded by ffmpeg directly, one
 * after the other, on one core, with the worker's own command lines for a whole
 * rendition;</li>
 * <li>one worker, then two, on the same video: from the upload's answer to
 * {@code success};</li>
 * <li>per segment job, from the workers' own metrics: the time, the bytes of the original
 * read, and the stitches; the overhead per job is what one worker took beyond the floor,
 * shared over its jobs.</li>
 * </ul>
 * API, broker and MongoDB-wire server are not bound: they share both cores.
 */
final class SegmentBench {

	/** The ladder of a 1080p original: every scale, none above the original. */
	private static final List<Integer> LADDER = VideoMessage.RENDITION_SCALES;

	private final LocalPipeline stack;

	private final Path work;

	private final int seconds;

	private final int segmentSeconds;

	private final HttpClient http = HttpClient.newHttpClient();

	SegmentBench(LocalPipeline stack, Path work, int seconds, int segmentSeconds) {
		this.stack = stack;
		this.work = work;
		this.seconds = seconds;
		this.segmentSeconds = segmentSeconds;
	}

	/**
	 * Measures; the figures, or why it was skipped, as {@code make bench} reports them.
	 */
	Map<String, Object> run() throws Exception {
		MediaTools probe = new MediaTools("ffmpeg", "ffprobe");
		if (!probe.ffmpegAvailable() || !probe.probeAvailable() || !tasksetAvailable()) {
			return Map.of("skipped", "ffmpeg, ffprobe or taskset is not installed");
		}
		if (Runtime.getRuntime().availableProcessors() < 2) {
			return Map.of("skipped", "two workers on cores of their own need two cores");
		}
		Path clip = clip();
		byte[] bytes = Files.readAllBytes(clip);
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("clip", "1920x1080, " + this.seconds + " s, 30 fps, testsrc2 with noise, H.264 (2 s GOP)/AAC, "
				+ bytes.length + " bytes");
		result.put("clipBytes", bytes.length);
		result.put("segmentSeconds", this.segmentSeconds);

		double floor = floor(clip);
		result.put("floorSeconds", floor);
		Benchmark.log("Segments: the ladder encoded directly on one core: %.1f s".formatted(floor));

		Map<String, Object> one = throughPipeline(bytes, 1);
		result.put("oneWorker", one);
		Map<String, Object> two = throughPipeline(bytes, 2);
		result.put("twoWorkers", two);

		double oneSeconds = Report.number(one, "seconds");
		double twoSeconds = Report.number(two, "seconds");
		result.put("oneOverFloor", oneSeconds / floor);
		result.put("twoOverOne", oneSeconds / twoSeconds);
		double jobs = Report.number(one, "segmentJobs");
		result.put("overheadPerJobSeconds", (oneSeconds - floor) / jobs);
		Benchmark.log(("Segments: one worker %.1f s (%.2fx the floor), two workers %.1f s (%.2fx faster), "
				+ "overhead %.2f s per segment job")
			.formatted(oneSeconds, oneSeconds / floor, twoSeconds, oneSeconds / twoSeconds,
					(oneSeconds - floor) / jobs));
		return result;
	}

	/** The clip, made once and kept in {@code target/} for the next run. */
	private Path clip() throws Exception {
		Path clips = Path.of("target", "bench-clips");
		Files.createDirectories(clips);
		Path clip = clips.resolve("noisy-1920x1080-" + this.seconds + "s.mp4");
		if (Files.exists(clip)) {
			return clip;
		}
		Path partial = clips.resolve(clip.getFileName() + ".part.mp4");
		Benchmark.log("Segments: making a " + this.seconds + " s 1080p clip (kept in " + clips + ")");
		MediaProcess.run(List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
				"testsrc2=size=1920x1080:rate=30:duration=" + this.seconds, "-f", "lavfi", "-i",
				"sine=frequency=440:duration=" + this.seconds, "-vf", "noise=alls=10:allf=t+u", "-c:v", "libx264",
				"-preset", "veryfast", "-crf", "23", "-maxrate", "8M", "-bufsize", "16M", "-g", "60", "-pix_fmt",
				"yuv420p", "-c:a", "aac", "-b:a", "128k", "-shortest", "-movflags", "+faststart", partial.toString()),
				Duration.ofMinutes(30), null);
		Files.move(partial, clip);
		return clip;
	}

	/**
	 * The ladder encoded by ffmpeg directly, one rendition after the other, one thread,
	 * bound to core 0: the worker's command line for a whole rendition, its sound copied
	 * (the clip's is AAC already, as the worker copies it too).
	 */
	private double floor(Path clip) throws Exception {
		Path ffmpeg = this.work.resolve("ffmpeg-on-core-0");
		Files.writeString(ffmpeg, "#!/bin/sh\nexec taskset -c 0 ffmpeg \"$@\"\n");
		Files.setPosixFilePermissions(ffmpeg, PosixFilePermissions.fromString("rwxr-xr-x"));
		MediaTools tools = new MediaTools(ffmpeg.toString(), "ffprobe", 1);
		long started = System.nanoTime();
		for (int height : LADDER) {
			Path playlist = this.work.resolve("floor-" + height + ".m3u8");
			Path media = this.work.resolve("floor-" + height + ".mp4");
			tools.encode(clip, height, clip, playlist, media, Duration.ofHours(2), (encoded) -> {
			});
			Files.delete(playlist);
			Files.delete(media);
		}
		return (System.nanoTime() - started) / 1e9;
	}

	/**
	 * The clip through the pipeline with {@code workers} workers, each on a core of its
	 * own with one rendition consumer and one encode thread; stops them after.
	 */
	private Map<String, Object> throughPipeline(byte[] clip, int workers) throws Exception {
		List<String> names = new ArrayList<>();
		for (int core = 0; core < workers; core++) {
			String name = "stream-segments-" + core;
			this.stack.startWorkerOnCore(name, core, "-Xmx384m", "--video.stream.transcoder=ffmpeg",
					"--video.stream.media.threads=1", "--video.stream.rendition-concurrency=1",
					"--video.stream.segments.length=" + this.segmentSeconds + "s");
			names.add(name);
		}
		Workers.awaitSettled(this.stack, workers);
		PipelineClient client = new PipelineClient(this.stack.apiUrl());
		String id = client.upload("long.mp4", clip);
		long answered = System.nanoTime();
		long deadline = answered + Duration.ofHours(2).toNanos();
		String status;
		while (!VideoStatus.SUCCESS.word().equals(status = client.status(id))) {
			if (VideoStatus.FAILED.word().equals(status) || System.nanoTime() > deadline) {
				throw new IllegalStateException("Video " + id + " did not succeed: " + client.video(id));
			}
			Benchmark.pause(Duration.ofMillis(200));
		}
		double seconds = (System.nanoTime() - answered) / 1e9;
		// The last stitch is timed once its variant is recorded, so just after success.
		Map<String, Double> metrics = scrape(names);
		long scraped = System.nanoTime();
		while (metrics.getOrDefault("video_segment_stitch_seconds_count", 0.0) < LADDER.size()
				&& System.nanoTime() - scraped < Duration.ofSeconds(30).toNanos()) {
			Benchmark.pause(Duration.ofMillis(200));
			metrics = scrape(names);
		}
		client.delete(id);
		names.forEach(this.stack::stopAsync);
		names.forEach(this.stack::awaitStopped);
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("workers", workers);
		result.put("seconds", seconds);
		double jobs = metrics.getOrDefault("video_segment_encode_seconds_count", 0.0);
		result.put("segmentJobs", jobs);
		result.put("segmentJobSecondsMean", metrics.getOrDefault("video_segment_encode_seconds_sum", 0.0) / jobs);
		result.put("segmentJobSecondsMax", metrics.getOrDefault("video_segment_encode_seconds_max", 0.0));
		result.put("sourceBytesPerJobMean", metrics.getOrDefault("video_segment_source_bytes_sum", 0.0)
				/ metrics.getOrDefault("video_segment_source_bytes_count", 1.0));
		result.put("sourceBytesPerJobMax", metrics.getOrDefault("video_segment_source_bytes_max", 0.0));
		result.put("stitches", metrics.getOrDefault("video_segment_stitch_seconds_count", 0.0));
		result.put("stitchSecondsMean", metrics.getOrDefault("video_segment_stitch_seconds_sum", 0.0)
				/ metrics.getOrDefault("video_segment_stitch_seconds_count", 1.0));
		Benchmark.log("Segments: %d worker(s): %.1f s, %.0f segment jobs of %.1f s on average".formatted(workers,
				seconds, jobs, (double) result.get("segmentJobSecondsMean")));
		return result;
	}

	/** The segment metrics of these workers, added up (maxima: the largest). */
	private Map<String, Double> scrape(List<String> workers) throws IOException, InterruptedException {
		Map<String, Double> metrics = new LinkedHashMap<>();
		for (String name : workers) {
			scrape(name).forEach(
					(metric, value) -> metrics.merge(metric, value, metric.endsWith("_max") ? Math::max : Double::sum));
		}
		return metrics;
	}

	/**
	 * The segment metrics of a worker's Prometheus page, each summed over its labels
	 * (maxima: the largest).
	 */
	private Map<String, Double> scrape(String worker) throws IOException, InterruptedException {
		String page = this.http
			.send(HttpRequest
				.newBuilder(URI.create("http://localhost:" + this.stack.port(worker) + "/actuator/prometheus"))
				.build(), HttpResponse.BodyHandlers.ofString())
			.body();
		Map<String, Double> metrics = new LinkedHashMap<>();
		for (String line : page.lines().toList()) {
			if (!line.startsWith("video_segment_")) {
				continue;
			}
			int labels = line.indexOf('{');
			int value = line.lastIndexOf(' ');
			String name = line.substring(0, (labels >= 0) ? labels : value);
			metrics.merge(name, Double.parseDouble(line.substring(value + 1)),
					name.endsWith("_max") ? Math::max : Double::sum);
		}
		return metrics;
	}

	/** The report's rows of the targets. */
	static void targets(StringBuilder md, Map<String, Object> segments) {
		if (!segments.containsKey("oneOverFloor")) {
			return;
		}
		double oneOverFloor = Report.number(segments, "oneOverFloor");
		double twoOverOne = Report.number(segments, "twoOverOne");
		Report.target(md,
				"A long 1080p video in segments: one worker on one core / the ladder encoded directly on one core",
				"at most 1.15x",
				String.format(Locale.ROOT, "%.2fx (%.1f against %.1f s)", oneOverFloor,
						Report.number(map(segments, "oneWorker"), "seconds"), Report.number(segments, "floorSeconds")),
				oneOverFloor <= 1.15);
		Report.target(md, "The same video: two workers (a core each) against one", "at least 1.8x",
				String.format(Locale.ROOT, "%.2fx (%.1f against %.1f s)", twoOverOne,
						Report.number(map(segments, "twoWorkers"), "seconds"),
						Report.number(map(segments, "oneWorker"), "seconds")),
				twoOverOne >= 1.8);
	}

	/** The report's section. */
	static void section(StringBuilder md, Map<String, Object> segments) {
		md.append("\n## A long video in segments\n\n");
		if (!segments.containsKey("oneOverFloor")) {
			md.append("Skipped: ").append(segments.get("skipped")).append(".\n");
			return;
		}
		Map<String, Object> one = map(segments, "oneWorker");
		Map<String, Object> two = map(segments, "twoWorkers");
		md.append(String.format(Locale.ROOT,
				"`make bench ARGS=--segments-only` runs this part alone and keeps the other figures. A clip of %s through the pipeline with `video.stream.transcoder=ffmpeg`, `video.stream.media.threads=1` and one rendition consumer per worker, each worker and its ffmpeg bound to a core of its own with `taskset` (the API, the broker and the MongoDB-wire server are not bound); segments of %s s (`--segments-length N`). The floor is the same ladder (360, 480, 720, 1080) encoded directly, one after the other, with the worker's command line for a whole rendition, one thread, on one core.%n%n",
				segments.get("clip"), segments.getOrDefault("segmentSeconds", 10)));
		md.append(
				"| Run | Seconds | Segment jobs | Job mean / max (s) | Original read per job, mean / max | Stitches, mean (s) |\n");
		md.append("| --- | --- | --- | --- | --- | --- |\n");
		md.append(String.format(Locale.ROOT, "| The ladder directly, one core | %.1f | | | | |%n",
				Report.number(segments, "floorSeconds")));
		for (Map<String, Object> run : List.of(one, two)) {
			md.append(String.format(Locale.ROOT,
					"| %d worker(s) | %.1f | %.0f | %.1f / %.1f | %.1f / %.1f MB | %.0f, %.1f |%n",
					((Number) run.get("workers")).intValue(), Report.number(run, "seconds"),
					Report.number(run, "segmentJobs"), Report.number(run, "segmentJobSecondsMean"),
					Report.number(run, "segmentJobSecondsMax"), Report.number(run, "sourceBytesPerJobMean") / 1e6,
					Report.number(run, "sourceBytesPerJobMax") / 1e6, Report.number(run, "stitches"),
					Report.number(run, "stitchSecondsMean")));
		}
		md.append(String.format(Locale.ROOT,
				"%nOne worker took %.2fx the floor, two workers %.2fx faster than one. What the pipeline adds, shared over one worker's segment jobs: %.2f s per job (starting ffmpeg, seeking from the keyframe before over HTTP, storing the piece, the shared sound, the probe, the poster and the stitches). The original is %.1f MB; a job reads %.1f%% of it on average.%n",
				Report.number(segments, "oneOverFloor"), Report.number(segments, "twoOverOne"),
				Report.number(segments, "overheadPerJobSeconds"), Report.number(segments, "clipBytes") / 1e6,
				100 * Report.number(one, "sourceBytesPerJobMean") / Report.number(segments, "clipBytes")));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Map<String, Object> values, String key) {
		return (Map<String, Object>) values.get(key);
	}

	private static boolean tasksetAvailable() {
		try {
			return new ProcessBuilder("taskset", "-c", "0", "true").start().waitFor() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
