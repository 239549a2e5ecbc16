package dev.labkafka.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real video clips made by ffmpeg from its generated sources ({@code testsrc} pictures, a
 * {@code sine} tone), of any size and length: the tests' media, with no binary files in
 * the repository. Tests that need them check {@link #ffmpegInstalled()} first.
 */
public final class TestClips {

	private TestClips() {
	}

	/** Whether ffmpeg and ffprobe can be run from the {@code PATH}. */
	public static boolean ffmpegInstalled() {
		return runs("ffmpeg") && runs("ffprobe");
	}

	private static boolean runs(String program) {
		try {
			Process process = new ProcessBuilder(program, "-version").redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			return process.waitFor(20, TimeUnit.SECONDS) && process.exitValue() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * Makes an H.264 MP4 of {@code width} x {@code height} pixels, {@code seconds} long
	 * at 25 frames a second, with an AAC tone when {@code audio}.
	 */
	public static Path make(Path directory, int width, int height, double seconds, boolean audio) {
		Path clip = directory
			.resolve("clip-" + width + "x" + height + "-" + seconds + (audio ? "-audio" : "") + ".mp4");
		List<String> command = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
				"testsrc=duration=" + seconds + ":size=" + width + "x" + height + ":rate=25"));
		if (audio) {
			command.addAll(List.of("-f", "lavfi", "-i", "sine=frequency=440:duration=" + seconds));
		}
		command.addAll(List.of("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"));
		if (audio) {
			command.addAll(List.of("-c:a", "aac"));
		}
		command.add(clip.toString());
		run(command);
		return clip;
	}

	/**
	 * A program in {@code directory} that runs ffmpeg itself and first appends the
	 * arguments it was given, as one line, to {@code arguments}: for tests of the command
	 * lines the worker runs.
	 */
	public static Path argumentNotingFfmpeg(Path directory, Path arguments) throws IOException {
		Path noting = directory.resolve("noting-ffmpeg");
		Files.writeString(noting, "#!/bin/sh\necho \"$@\" >> '" + arguments + "'\nexec ffmpeg \"$@\"\n");
		if (!noting.toFile().setExecutable(true)) {
			throw new IOException("Could not make " + noting + " executable");
		}
		return noting;
	}

	/** What ffprobe, run here, says of a file or url. */
	public static Probed probe(String fileOrUrl) {
		String[] lines = run(List.of("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
				"stream=width,height,codec_name:format=duration,format_name", "-of", "csv=p=0:s=x", fileOrUrl))
			.strip()
			.split("\\R");
		String[] stream = lines[0].split("x");
		String[] format = lines[1].split("x");
		return new Probed(stream[0], Integer.parseInt(stream[1]), Integer.parseInt(stream[2]), format[0],
				Double.parseDouble(format[1]));
	}

	/** How many frames of picture ffprobe decodes from a file or url, counting each. */
	public static long frames(String fileOrUrl) {
		return Long.parseLong(run(List.of("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
				"-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", fileOrUrl))
			.strip());
	}

	/**
	 * ffprobe's view of a file.
	 *
	 * @param codec the first video stream's codec, {@code h264} for instance
	 * @param width its width in pixels
	 * @param height its height in pixels
	 * @param format the container, {@code mov,mp4,m4a,3gp,3g2,mj2} for MP4
	 * @param duration seconds
	 */
	public record Probed(String codec, int width, int height, String format, double duration) {
	}

	private static String run(List<String> command) {
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

}
