package dev.labkafka.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the benchmark's report: {@code benchmarks.md} with tables and the targets,
 * {@code benchmarks/completion-times.png}, and {@code benchmarks/results.json}. Each
 * measure writes its own rows of the targets and its own section, of the figures that
 * were measured: a run of one part alone into a directory of its own reports that part.
 */
final class Report {

	private final Options options;

	private final Map<String, Object> results;

	Report(Options options, Map<String, Object> results) {
		this.options = options;
		this.results = results;
	}

	/** Writes the report again from the figures of the last run in {@code out}. */
	static void rewrite(Options options) throws IOException {
		Map<String, Object> results = read(options.out().resolve("benchmarks").resolve("results.json"));
		new Report(asMeasured(options, results), results).write();
	}

	/**
	 * What a run records before its measures: the machine and the options they are
	 * measured with ({@link #asMeasured} reads them back).
	 */
	static Map<String, Object> measuredOn(Options options) {
		Map<String, Object> measured = new LinkedHashMap<>();
		measured.put("machine", Machine.describe());
		measured.put("options", Map.of("quick", options.quick(), "videos", options.videos(), "transcodeMs",
				options.transcode().toMillis()));
		return measured;
	}

	/** The figures of a run, as {@link #write()} stored them. */
	@SuppressWarnings("unchecked")
	static Map<String, Object> read(Path file) throws IOException {
		return JsonMapper.builder().build().readValue(file.toFile(), LinkedHashMap.class);
	}

	/** These options with those the figures were measured with. */
	@SuppressWarnings("unchecked")
	static Options asMeasured(Options options, Map<String, Object> results) {
		Map<String, Object> measured = (Map<String, Object>) results.get("options");
		return new Options((Boolean) measured.get("quick"), ((Number) measured.get("videos")).intValue(),
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
			BatchBench.chart(this.results, assets.resolve("completion-times.png"));
		}
		Files.writeString(this.options.out().resolve("benchmarks.md"), markdown());
	}

	/** The figures of one measure, if they were measured. */
	@SuppressWarnings("unchecked")
	static @Nullable Map<String, Object> map(Map<String, Object> results, String key) {
		return (Map<String, Object>) results.get(key);
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
		LatencyBench.targets(md, this.results);
		BatchBench.targets(md, this.results);
		UploadBench.targets(md, this.results);
		FfmpegBench.targets(md, this.results);
		SoakBench.targets(md, this.results);
		Map<String, Object> segments = map(this.results, "segments");
		if (segments != null) {
			SegmentBench.targets(md, segments);
		}
		LatencyBench.section(md, this.results);
		BatchBench.section(md, this.results);
		UploadBench.section(md, this.results);
		FfmpegBench.section(md, this.results);
		SoakBench.section(md, this.results);
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

	@SuppressWarnings("unchecked")
	static String figures(Map<String, Object> values, String key) {
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

	/** What the figures were measured on. */
	private static final class Machine {

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
