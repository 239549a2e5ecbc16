package dev.labkafka.stream.segment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the issue asks of a stitched rendition, measured with ffprobe and ffmpeg's
 * {@code psnr} filter against the original and against a whole encode of it with the same
 * settings. Each check gives its failure as a sentence, or nothing; none asserts, so that
 * a test can also show which checks a naive cut or join fails.
 */
final class StitchChecks {

	/** How far audio and video may start, or end, apart. */
	static final double AV_TOLERANCE = 0.040;

	/** How much lower than the whole encode's PSNR the stitched file's may be. */
	static final double PSNR_TOLERANCE = 0.3;

	/** Timestamps closer than this are the same. */
	private static final double EPSILON = 0.001;

	private StitchChecks() {
	}

	enum Check {

		/** The same number of frames as the original, exactly. */
		FRAMES,

		/** The same length of picture as the original, within one frame. */
		DURATION,

		/** Every frame one frame's time after the one before: no gap, no duplicate. */
		CONTINUITY,

		/**
		 * A keyframe at each segment's start, and keyframes exactly where the whole
		 * encode has them.
		 */
		KEYFRAMES,

		/** Sound and picture start, and end, within 40 ms of each other. */
		AV_SYNC,

		/** PSNR against the original at most 0.3 dB below the whole encode's. */
		PSNR

	}

	/**
	 * What ffprobe lists of a file's packets: the picture's timestamps in presentation
	 * order, its keyframes', and where the sound starts and ends.
	 */
	record Streams(List<Double> frames, List<Double> keyframes, double videoEnd, double audioStart, double audioEnd) {

		double videoStart() {
			return this.frames.get(0);
		}

		double duration() {
			return this.videoEnd - videoStart();
		}

		/** The keyframes' times after the first frame's (B-frames delay the first). */
		List<Double> keyframeOffsets() {
			return this.keyframes.stream().map((time) -> time - videoStart()).toList();
		}

		/** The time of one frame: the commonest step between two frames. */
		double frameTime() {
			List<Double> steps = new ArrayList<>();
			for (int i = 1; i < this.frames.size(); i++) {
				steps.add(this.frames.get(i) - this.frames.get(i - 1));
			}
			Collections.sort(steps);
			return steps.get(steps.size() / 2);
		}

		boolean hasAudio() {
			return !Double.isNaN(this.audioStart);
		}

	}

	/** The facts the checks compare: what the original and the whole encode are. */
	record Reference(Path original, Streams originalStreams, Streams whole, double wholePsnr) {

		Reference(Path original, Path whole) {
			this(original, streams(original), streams(whole), psnr(whole, original));
		}

	}

	/**
	 * What the checks found of a file.
	 *
	 * @param failures the checks it fails, each with what was measured
	 * @param streams its packets
	 * @param psnr its PSNR against the original
	 */
	record Verdict(Map<Check, String> failures, Streams streams, double psnr) {

	}

	/**
	 * Checks {@code result} against the original and the whole encode.
	 * @param segmentSeconds the segments' length
	 * @param segments how many segments were joined
	 */
	static Verdict check(Path result, Reference reference, double segmentSeconds, int segments) {
		Streams streams = streams(result);
		Streams original = reference.originalStreams();
		double frame = original.frameTime();
		Map<Check, String> failures = new EnumMap<>(Check.class);
		if (streams.frames().size() != original.frames().size()) {
			failures.put(Check.FRAMES,
					streams.frames().size() + " frames where the original has " + original.frames().size());
		}
		if (Math.abs(streams.duration() - original.duration()) > frame + EPSILON) {
			failures.put(Check.DURATION,
					format("%.3f s of picture where the original has %.3f s", streams.duration(), original.duration()));
		}
		List<String> steps = new ArrayList<>();
		for (int i = 1; i < streams.frames().size(); i++) {
			double step = streams.frames().get(i) - streams.frames().get(i - 1);
			if (Math.abs(step - frame) > EPSILON) {
				steps.add(format("%.3f s after frame %d at %.3f s", step, i - 1, streams.frames().get(i - 1)));
			}
		}
		if (!steps.isEmpty()) {
			failures.put(Check.CONTINUITY, steps.size() + " steps between frames not of one frame's "
					+ format("%.3f s", frame) + ", first " + steps.subList(0, Math.min(3, steps.size())));
		}
		List<Double> keyframes = streams.keyframeOffsets();
		List<String> missing = new ArrayList<>();
		for (int index = 0; index < segments; index++) {
			double start = index * segmentSeconds;
			if (keyframes.stream().noneMatch((time) -> Math.abs(time - start) < EPSILON)) {
				missing.add(format("%.3f", start));
			}
		}
		if (!missing.isEmpty() || !same(keyframes, reference.whole().keyframeOffsets())) {
			failures.put(Check.KEYFRAMES,
					"no keyframe at segment starts " + missing + " s; keyframes at " + rounded(keyframes)
							+ " s after the first frame, the whole encode's at "
							+ rounded(reference.whole().keyframeOffsets()));
		}
		if (!streams.hasAudio()) {
			failures.put(Check.AV_SYNC, "no sound");
		}
		else if (Math.abs(streams.audioStart() - streams.videoStart()) > AV_TOLERANCE
				|| Math.abs(streams.audioEnd() - streams.videoEnd()) > AV_TOLERANCE) {
			failures.put(Check.AV_SYNC, format("sound %.3f to %.3f s, picture %.3f to %.3f s", streams.audioStart(),
					streams.audioEnd(), streams.videoStart(), streams.videoEnd()));
		}
		double psnr = psnr(result, reference.original());
		if (psnr < reference.wholePsnr() - PSNR_TOLERANCE) {
			failures.put(Check.PSNR, format("PSNR %.2f dB against the original, the whole encode's %.2f dB", psnr,
					reference.wholePsnr()));
		}
		return new Verdict(failures, streams, psnr);
	}

	private static boolean same(List<Double> times, List<Double> others) {
		if (times.size() != others.size()) {
			return false;
		}
		for (int i = 0; i < times.size(); i++) {
			if (Math.abs(times.get(i) - others.get(i)) > EPSILON) {
				return false;
			}
		}
		return true;
	}

	private static List<String> rounded(List<Double> times) {
		return times.stream().map((time) -> format("%.2f", time)).toList();
	}

	/**
	 * The packets of the file's first picture and first sound track, as ffprobe lists
	 * them.
	 */
	static Streams streams(Path file) {
		List<Double> frames = new ArrayList<>();
		List<Double> keyframes = new ArrayList<>();
		double videoEnd = Double.NEGATIVE_INFINITY;
		double audioStart = Double.NaN;
		double audioEnd = Double.NaN;
		String audio = null;
		String packets = run(List.of("ffprobe", "-v", "error", "-show_entries",
				"packet=codec_type,stream_index,pts_time,duration_time,flags", "-of", "compact=p=0", file.toString()));
		for (String line : packets.lines().toList()) {
			Map<String, String> fields = new HashMap<>();
			for (String field : line.strip().split("\\|")) {
				int equals = field.indexOf('=');
				if (equals > 0) {
					fields.put(field.substring(0, equals), field.substring(equals + 1));
				}
			}
			if (!fields.containsKey("pts_time") || fields.get("pts_time").equals("N/A")) {
				continue;
			}
			double pts = Double.parseDouble(fields.get("pts_time"));
			double duration = fields.getOrDefault("duration_time", "N/A").equals("N/A") ? 0
					: Double.parseDouble(fields.get("duration_time"));
			String type = fields.getOrDefault("codec_type", "");
			if (type.equals("video")) {
				frames.add(pts);
				if (fields.getOrDefault("flags", "").startsWith("K")) {
					keyframes.add(pts);
				}
				videoEnd = Math.max(videoEnd, pts + duration);
			}
			else if (type.equals("audio") && (audio == null || audio.equals(fields.get("stream_index")))) {
				audio = fields.get("stream_index");
				audioStart = Double.isNaN(audioStart) ? pts : Math.min(audioStart, pts);
				audioEnd = Double.isNaN(audioEnd) ? pts + duration : Math.max(audioEnd, pts + duration);
			}
		}
		Collections.sort(frames);
		Collections.sort(keyframes);
		return new Streams(List.copyOf(frames), List.copyOf(keyframes), videoEnd, audioStart, audioEnd);
	}

	/**
	 * The average PSNR of {@code file}'s picture against {@code original}'s, both from
	 * their first frame ({@code setpts=PTS-STARTPTS}), at the original's size.
	 */
	static double psnr(Path file, Path original) {
		String size = run(List.of("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
				"stream=width,height", "-of", "csv=p=0:s=x", original.toString()))
			.strip()
			.lines()
			.findFirst()
			.orElseThrow();
		String output = run(
				List.of("ffmpeg", "-nostdin", "-hide_banner", "-nostats", "-threads", "1", "-i", file.toString(), "-i",
						original.toString(), "-lavfi", "[0:v:0]setpts=PTS-STARTPTS,scale=" + size.replace('x', ':')
								+ ",format=yuv420p[a];" + "[1:v:0]setpts=PTS-STARTPTS,format=yuv420p[b];[a][b]psnr",
						"-an", "-f", "null", "-"));
		Matcher average = Pattern.compile("PSNR y:\\S+ u:\\S+ v:\\S+ average:(\\S+)").matcher(output);
		if (!average.find()) {
			throw new IllegalStateException("ffmpeg's psnr filter said no average: " + output);
		}
		return average.group(1).equals("inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(average.group(1));
	}

	/** Runs a program, its error output with its output, and gives them. */
	static String run(List<String> command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
				process.destroyForcibly();
				throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
			}
			return output;
		}
		catch (IOException ex) {
			throw new IllegalStateException(String.join(" ", command) + " could not be run", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String format(String format, Object... arguments) {
		return String.format(Locale.ROOT, format, arguments);
	}

}
