package dev.labkafka.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.labkafka.processes.LocalPipeline;
import dev.labkafka.processes.PipelineClient;
import dev.labkafka.stream.media.MediaProcess;
import dev.labkafka.stream.media.MediaTools;
import dev.labkafka.videos.VideoStatus;

/**
 * Real renditions (see {@link #run}); its figures are {@code ffmpeg}.
 */
final class FfmpegBench {

	private final LocalPipeline stack;

	private final PipelineClient client;

	private final Path work;

	private final boolean quick;

	FfmpegBench(LocalPipeline stack, PipelineClient client, Path work, boolean quick) {
		this.stack = stack;
		this.client = client;
		this.work = work;
		this.quick = quick;
	}

	/**
	 * Real renditions: a 1280x720 10-second clip through the pipeline with the ffmpeg
	 * transcoder, from the upload's answer to {@code success}, against the floor of the
	 * same encodes run directly with ffmpeg (the worker's own command lines, as many at
	 * once as the worker's rendition consumers), alternating, in the same run. CPU
	 * seconds per process include the ffmpeg processes each started. Skipped without
	 * ffmpeg.
	 */
	Map<String, Object> run() throws Exception {
		MediaTools tools = new MediaTools("ffmpeg", "ffprobe");
		if (!tools.ffmpegAvailable() || !tools.probeAvailable()) {
			Benchmark.log("ffmpeg: skipped, ffmpeg or ffprobe is not installed");
			return Map.of("ffmpeg", Map.of("skipped", "ffmpeg or ffprobe is not installed"));
		}
		int consumers = Runtime.getRuntime().availableProcessors();
		Path worker = this.stack.startWorker("stream-ffmpeg", "-Xmx384m", "--video.stream.transcoder=ffmpeg");
		Path clip = this.work.resolve("clip-1280x720-10s.mp4");
		MediaProcess.run(List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
				"testsrc2=duration=10:size=1280x720:rate=30", "-f", "lavfi", "-i", "sine=frequency=440:duration=10",
				"-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", clip.toString()),
				Duration.ofMinutes(5), null);
		byte[] bytes = Files.readAllBytes(clip);
		List<Integer> encoded = List.of(360, 480, 720);
		int rounds = this.quick ? 1 : 3;
		List<Double> pipeline = new ArrayList<>();
		List<Double> direct = new ArrayList<>();
		List<Double> mp4Only = new ArrayList<>();
		long hlsBytes = 0;
		long mp4Bytes = 0;
		Map<String, List<Double>> cpu = new LinkedHashMap<>();
		for (int round = 0; round < rounds; round++) {
			Map<String, Double> before = processCpu(this.stack, "stream-ffmpeg");
			String id = this.client.upload("clip.mp4", bytes);
			long answered = System.nanoTime();
			while (!VideoStatus.SUCCESS.word().equals(this.client.status(id))) {
				if (VideoStatus.FAILED.word().equals(this.client.status(id))) {
					throw new IllegalStateException("Video " + id + " failed: " + this.client.video(id));
				}
				Thread.sleep(50);
			}
			pipeline.add((System.nanoTime() - answered) / 1e9);
			Map<String, Double> after = processCpu(this.stack, "stream-ffmpeg");
			after.forEach((process, seconds) -> cpu.computeIfAbsent("pipeline." + process, (key) -> new ArrayList<>())
				.add(seconds - before.get(process)));

			double ownBefore = Proc.cpuSeconds(ProcessHandle.current().pid());
			long started = System.nanoTime();
			hlsBytes = encodeAll(consumers, encoded, (height) -> {
				Path playlist = this.work.resolve("direct-" + height + ".m3u8");
				Path media = this.work.resolve("direct-" + height + ".mp4");
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
				Path output = this.work.resolve("mp4-only-" + height + ".mp4");
				MediaProcess.run(mp4Only(clip, height, output), Duration.ofMinutes(10), null);
				long size = Files.size(output);
				Files.delete(output);
				return size;
			});
			mp4Only.add((System.nanoTime() - started) / 1e9);
			cpu.computeIfAbsent("mp4Only.ffmpeg", (key) -> new ArrayList<>())
				.add(Proc.cpuSeconds(ProcessHandle.current().pid()) - ownBefore);
			this.client.delete(id);
		}
		this.stack.stop("stream-ffmpeg");
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
		Benchmark.log(
				"ffmpeg: 1280x720 10 s clip, median of %d: pipeline %.2f s, the same encodes directly %.2f s (%.2fx); CPU seconds %s"
					.formatted(rounds, pipelineMedian, directMedian, pipelineMedian / directMedian, cpuMedians));
		return Map.of("ffmpeg", result);
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

	/** The row of the targets, if these figures were measured. */
	static void targets(StringBuilder md, Map<String, Object> results) {
		Map<String, Object> ffmpeg = Report.map(results, "ffmpeg");
		if (ffmpeg != null && ffmpeg.containsKey("ratio")) {
			Report.target(md, "ffmpeg: a 720p 10 s clip through the pipeline / the same encodes run directly",
					"at most 1.2x",
					String.format(Locale.ROOT, "%.2fx (%.1f against %.1f s)", Report.number(ffmpeg, "ratio"),
							Report.number(ffmpeg, "pipelineMedian"), Report.number(ffmpeg, "directMedian")),
					Report.number(ffmpeg, "ratio") <= 1.2);
		}
	}

	/** The section, if these figures were measured. */
	@SuppressWarnings("unchecked")
	static void section(StringBuilder md, Map<String, Object> results) {
		Map<String, Object> ffmpeg = Report.map(results, "ffmpeg");
		if (ffmpeg != null) {
			md.append("\n## Real renditions (ffmpeg)\n\n");
			if (ffmpeg.containsKey("ratio")) {
				Map<String, Object> ffmpegCpu = (Map<String, Object>) ffmpeg.get("cpuSecondsMedian");
				md.append(String.format(Locale.ROOT,
						"A clip of %s, uploaded to the pipeline with `video.stream.transcoder=ffmpeg` (%s rendition consumers, the default: one per core): %.1f s from the upload's answer to `success` (median of %s), against %.1f s for the same three encodes (360, 480, 720; the 1080 is the 720) run directly with the worker's own ffmpeg command lines, as many at once (%s): %.2fx. Rounds alternate the two.%n%n",
						ffmpeg.get("clip"), ffmpeg.get("renditionConsumers"), Report.number(ffmpeg, "pipelineMedian"),
						Report.figures(ffmpeg, "pipelineSeconds"), Report.number(ffmpeg, "directMedian"),
						Report.figures(ffmpeg, "directSeconds"), Report.number(ffmpeg, "ratio")));
				md.append(String.format(Locale.ROOT,
						"CPU seconds per video (medians, children included: the worker's count its ffmpeg and ffprobe runs): the worker %.1f, the API %.1f, the MongoDB-wire server %.1f; the direct encodes %.1f.%n",
						Report.number(ffmpegCpu, "pipeline.worker"), Report.number(ffmpegCpu, "pipeline.api"),
						Report.number(ffmpegCpu, "pipeline.mongo"), Report.number(ffmpegCpu, "direct.ffmpeg")));
				if (ffmpeg.containsKey("mp4OnlyMedian")) {
					md.append(String.format(Locale.ROOT,
							"%nThe HLS ladder against the MP4-only encodes it replaced (the worker's command line before HLS: progressive MP4, no cap, x264's own keyframes, AAC encoded per rendition), the same three run directly as many at once, alternating with the above: %.1f s (%s) against %.1f s (%s), %.2fx the time; %d bytes against %d for the three files, %.2fx the bytes. Each HLS file serves both progressive playback and HLS, so it is all that is stored.%n",
							Report.number(ffmpeg, "directMedian"), Report.figures(ffmpeg, "directSeconds"),
							Report.number(ffmpeg, "mp4OnlyMedian"), Report.figures(ffmpeg, "mp4OnlySeconds"),
							Report.number(ffmpeg, "directMedian") / Report.number(ffmpeg, "mp4OnlyMedian"),
							(long) Report.number(ffmpeg, "hlsBytes"), (long) Report.number(ffmpeg, "mp4OnlyBytes"),
							Report.number(ffmpeg, "hlsBytes") / Report.number(ffmpeg, "mp4OnlyBytes")));
				}
			}
			else {
				md.append("Skipped: ").append(ffmpeg.get("skipped")).append(".\n");
			}
		}
	}

}
