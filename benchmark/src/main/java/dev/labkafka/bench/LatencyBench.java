package dev.labkafka.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.labkafka.processes.LocalPipeline;
import dev.labkafka.processes.PipelineClient;
import dev.labkafka.videos.VideoStatus;
import org.jspecify.annotations.Nullable;

/**
 * The first video, uploaded as soon as the API and a worker report ready (what a user
 * does after {@code make run}), and five after it, one at a time: each from the upload's
 * answer to status {@code success}, against the floor of one mock transcode, with where
 * the time went hop by hop ({@link Timeline}). Its figures are {@code first} and
 * {@code single}.
 */
final class LatencyBench {

	private final LocalPipeline stack;

	private final PipelineClient client;

	private final Duration transcode;

	private final Map<String, Object> results = new LinkedHashMap<>();

	LatencyBench(LocalPipeline stack, PipelineClient client, Duration transcode) {
		this.stack = stack;
		this.client = client;
		this.transcode = transcode;
	}

	/** Measures; the figures, as {@code make bench} reports them. */
	Map<String, Object> run() throws IOException {
		firstVideo();
		singleVideo();
		return this.results;
	}

	/**
	 * The first video, uploaded as soon as the API and the worker say they are ready, as
	 * a user does after {@code make run}: from the upload's answer to status success.
	 */
	private void firstVideo() throws IOException {
		String id = this.client.upload(64 << 10);
		long answered = System.nanoTime();
		long answeredAt = System.currentTimeMillis();
		awaitSuccess(this.client, id);
		double seconds = (System.nanoTime() - answered) / 1e9;
		double floor = this.transcode.toMillis() / 1000.0;
		this.results.put("first", Map.of("seconds", seconds, "floor", floor, "ratio", seconds / floor, "timeline",
				timeline(this.stack, id, answeredAt, seconds)));
		Benchmark.log("First video after ready: %.2f s against a floor of %.1f s".formatted(seconds, floor));
	}

	/**
	 * One video at a time, after the first: from the upload's answer to status success.
	 */
	private void singleVideo() throws IOException {
		List<Double> seconds = new ArrayList<>();
		Map<String, Long> timeline = Map.of();
		for (int i = 0; i < 5; i++) {
			String id = this.client.upload(64 << 10);
			long answered = System.nanoTime();
			long answeredAt = System.currentTimeMillis();
			awaitSuccess(this.client, id);
			seconds.add((System.nanoTime() - answered) / 1e9);
			timeline = timeline(this.stack, id, answeredAt, seconds.get(i));
		}
		double floor = this.transcode.toMillis() / 1000.0;
		this.results.put("single",
				Map.of("seconds", seconds, "median", Stats.percentile(seconds, 50), "max", Stats.max(seconds), "floor",
						floor, "ratio", Stats.percentile(seconds, 50) / floor, "timeline", timeline));
		Benchmark.log("Single video: median %.2f s against a floor of %.1f s".formatted(Stats.percentile(seconds, 50),
				floor));
	}

	/** The video's hops ({@link Timeline}), and when the client saw it done. */
	private static Map<String, Long> timeline(LocalPipeline stack, String id, long answeredAt, double seconds)
			throws IOException {
		Map<String, Long> timeline = new LinkedHashMap<>(
				Timeline.of(stack.bootstrapServers(), id, answeredAt, stack.logs("stream")));
		timeline.put("success seen by the client", Math.round(seconds * 1000));
		return timeline;
	}

	private static void awaitSuccess(PipelineClient client, String id) {
		long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
		while (!VideoStatus.SUCCESS.word().equals(client.status(id))) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Video " + id + " did not complete");
			}
			Benchmark.pause(Duration.ofMillis(20));
		}
	}

	/** The rows of the targets, if these figures were measured. */
	static void targets(StringBuilder md, Map<String, Object> results) {
		Map<String, Object> single = Report.map(results, "single");
		if (single == null) {
			return;
		}
		Map<String, Object> first = Report.map(results, "first");
		if (first != null) {
			Report.target(md, "First video after the pipeline says it is ready: answer to success", "at most 1.1x",
					String.format(Locale.ROOT, "%.2fx (%.2f s)", Report.number(first, "ratio"),
							Report.number(first, "seconds")),
					Report.number(first, "ratio") <= 1.1);
		}
		Report.target(
				md, "Single video: answer to success, against one transcode", "at most 1.1x", String.format(Locale.ROOT,
						"%.2fx (%.2f s)", Report.number(single, "ratio"), Report.number(single, "median")),
				Report.number(single, "ratio") <= 1.1);
	}

	/** The section, if these figures were measured. */
	static void section(StringBuilder md, Map<String, Object> results) {
		Map<String, Object> single = Report.map(results, "single");
		if (single == null) {
			return;
		}
		Map<String, Object> first = Report.map(results, "first");
		md.append("\n## Single video\n\n");
		if (first != null) {
			md.append(String.format(Locale.ROOT,
					"The first video, uploaded as soon as the API and the worker report ready (what a user does after `make run`): %.2f s from the upload's answer to `success`.%n%n",
					Report.number(first, "seconds")));
		}
		md.append(String.format(Locale.ROOT,
				"From the upload's answer to status `success`, one video at a time after the first: median %.2f s, max %.2f s, against a floor of %.1f s (one mock transcode). The original lab's design, one rendition after another, takes 4 x %.1f s = %.1f s.%n",
				Report.number(single, "median"), Report.number(single, "max"), Report.number(single, "floor"),
				Report.number(single, "floor"), 4 * Report.number(single, "floor")));
		timelines(md, first, single);
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

}
