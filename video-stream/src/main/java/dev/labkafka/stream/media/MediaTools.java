package dev.labkafka.stream.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.DoubleConsumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * ffprobe and ffmpeg, as the worker uses them: probe a file, take its poster frame,
 * encode a rendition. Each call runs one program through {@link MediaProcess}, so each is
 * bounded in time and leaves no process behind.
 */
public class MediaTools {

	private static final Logger logger = LoggerFactory.getLogger(MediaTools.class);

	/** How long probing a file or taking its poster frame may take. */
	private static final Duration QUICK = Duration.ofMinutes(2);

	/** The height of poster frames, at most. */
	private static final int THUMBNAIL_HEIGHT = 360;

	private final String ffmpeg;

	private final String ffprobe;

	private final int threads;

	private final JsonMapper json = JsonMapper.builder().build();

	private final MediaProcess.Running running = new MediaProcess.Running();

	private volatile @Nullable Boolean probeAvailable;

	/**
	 * @param ffmpeg the ffmpeg program: a name on the {@code PATH} or a path
	 * @param ffprobe the ffprobe program, likewise
	 */
	public MediaTools(String ffmpeg, String ffprobe) {
		this(ffmpeg, ffprobe, 0);
	}

	/**
	 * @param ffmpeg the ffmpeg program: a name on the {@code PATH} or a path
	 * @param ffprobe the ffprobe program, likewise
	 * @param threads the threads an encode's decoder and encoder may each use, or 0 for
	 * ffmpeg's choice (from the machine's processors)
	 */
	public MediaTools(String ffmpeg, String ffprobe, int threads) {
		this.ffmpeg = ffmpeg;
		this.ffprobe = ffprobe;
		this.threads = threads;
	}

	/**
	 * Whether ffprobe can be run here; looked up once, and said once, as a warning, when
	 * it cannot.
	 */
	public boolean probeAvailable() {
		Boolean available = this.probeAvailable;
		if (available == null) {
			available = runs(this.ffprobe);
			if (!available) {
				logger.warn("ffprobe ('{}') cannot be run: videos get no width, height, duration or thumbnail. "
						+ "Install ffmpeg, or set video.stream.media.ffprobe to its path.", this.ffprobe);
			}
			this.probeAvailable = available;
		}
		return available;
	}

	/** Whether ffmpeg can be run here. */
	public boolean ffmpegAvailable() {
		return runs(this.ffmpeg);
	}

	private static boolean runs(String program) {
		try {
			MediaProcess.run(List.of(program, "-version"), Duration.ofSeconds(20), null);
			return true;
		}
		catch (MediaFailure ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * What the file holds.
	 * @throws MediaFailure when ffprobe cannot read it, or it has no picture
	 */
	public MediaInfo probe(Path file) throws InterruptedException {
		String output = MediaProcess.run(List.of(this.ffprobe, "-v", "error", "-print_format", "json", "-show_format",
				"-show_streams", file.toString()), QUICK, null, this.running);
		JsonNode probed;
		try {
			probed = this.json.readTree(output);
		}
		catch (JacksonException ex) {
			throw new MediaFailure("ffprobe's answer is not JSON: " + ex.getOriginalMessage(), ex);
		}
		JsonNode video = null;
		boolean audio = false;
		for (JsonNode stream : probed.path("streams")) {
			String type = stream.path("codec_type").asString("");
			if (type.equals("video") && video == null && stream.path("width").asInt(0) > 0
					&& !stream.path("disposition").path("attached_pic").asBoolean(false)) {
				video = stream;
			}
			audio |= type.equals("audio");
		}
		if (video == null) {
			throw new MediaFailure("ffprobe found no picture in the file");
		}
		int width = video.path("width").asInt();
		int height = video.path("height").asInt();
		if (Math.abs(rotation(video)) % 180 == 90) {
			int swap = width;
			width = height;
			height = swap;
		}
		double duration = probed.path("format").path("duration").asDouble(video.path("duration").asDouble(0));
		return new MediaInfo(width, height, duration, audio);
	}

	/** Degrees the picture is turned when shown: a display matrix, or the old tag. */
	private static int rotation(JsonNode video) {
		for (JsonNode side : video.path("side_data_list")) {
			if (side.has("rotation")) {
				return side.path("rotation").asInt(0);
			}
		}
		return video.path("tags").path("rotate").asInt(0);
	}

	/**
	 * Takes a poster frame of the file, at most 360 pixels high, as a JPEG in
	 * {@code jpeg}: the picture at one second, or half-way in a shorter video.
	 * @throws MediaFailure when ffmpeg cannot make one
	 */
	public void thumbnail(Path source, MediaInfo info, Path jpeg) throws InterruptedException {
		double at = (info.duration() >= 2) ? 1 : info.duration() / 2;
		MediaProcess.run(List.of(this.ffmpeg, "-nostdin", "-v", "error", "-y", "-ss", String.format("%.3f", at), "-i",
				source.toString(), "-frames:v", "1", "-vf",
				"scale=-2:" + even(Math.min(THUMBNAIL_HEIGHT, info.height())), "-q:v", "4", "-f", "image2",
				jpeg.toString()), QUICK, null, this.running);
		if (!nonEmpty(jpeg)) {
			throw new MediaFailure("ffmpeg made no poster frame at " + at + " s");
		}
	}

	/**
	 * Encodes a rendition {@code height} pixels high (even; the width keeps the aspect
	 * ratio, rounded to an even number) as progressive MP4 that browsers play: H.264
	 * (yuv420p, High profile) and, when the source has sound, AAC stereo, with the index
	 * at the front (faststart) so that playing can start before the whole file is in.
	 * @param encoded given the seconds of media encoded since the last call, as ffmpeg
	 * reports its progress
	 * @throws MediaFailure when ffmpeg fails or runs out of time; {@code output} may then
	 * hold part of a file, which the caller removes
	 */
	public void encode(Path source, int height, Path output, Duration timeout, DoubleConsumer encoded)
			throws InterruptedException {
		List<String> threads = (this.threads > 0) ? List.of("-threads", String.valueOf(this.threads)) : List.of();
		List<String> command = new ArrayList<>(List.of(this.ffmpeg, "-nostdin", "-hide_banner", "-v", "error", "-y"));
		command.addAll(threads);
		command.addAll(List.of("-i", source.toString(), "-map", "0:v:0", "-map", "0:a:0?", "-vf",
				"scale=-2:" + even(height), "-c:v", "libx264"));
		command.addAll(threads);
		command.addAll(List.of("-preset", "veryfast", "-crf", "23", "-profile:v", "high", "-pix_fmt", "yuv420p", "-c:a",
				"aac", "-b:a", "128k", "-ac", "2", "-movflags", "+faststart", "-progress", "pipe:1", "-nostats", "-f",
				"mp4", output.toString()));
		MediaProcess.run(command, timeout, new Progress(encoded), this.running);
		if (!nonEmpty(output)) {
			throw new MediaFailure("ffmpeg wrote nothing to " + output.getFileName());
		}
	}

	/**
	 * Kills the programs running now and refuses to start more: the worker is stopping.
	 * Their callers get an {@link InterruptedException}, so that the job is done again
	 * elsewhere rather than failed.
	 */
	public void stopAll() {
		this.running.stopAll();
	}

	/**
	 * Kills the programs that {@code worker} runs now, and refuses it more until
	 * {@link #release}: the video it works for was deleted. Their callers get a
	 * {@link VideoGone}.
	 */
	public void stopFor(Thread worker, String videoId) {
		this.running.stopFor(worker, videoId);
	}

	/** Lets {@code worker} run programs again, once its job for a deleted video ended. */
	public void release(Thread worker) {
		this.running.release(worker);
	}

	/** The largest even number not above {@code pixels}, and at least 2. */
	public static int even(int pixels) {
		return Math.max(2, pixels - (pixels % 2));
	}

	private static boolean nonEmpty(Path file) {
		try {
			return Files.size(file) > 0;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Reads ffmpeg's {@code -progress} lines ({@code out_time_us=...}) and hands on how
	 * far the output moved.
	 */
	private static final class Progress implements Consumer<String> {

		private static final String OUT_TIME = "out_time_us=";

		private final DoubleConsumer encoded;

		private long lastMicros;

		Progress(DoubleConsumer encoded) {
			this.encoded = encoded;
		}

		@Override
		public void accept(String line) {
			if (!line.startsWith(OUT_TIME)) {
				return;
			}
			try {
				long micros = Long.parseLong(line.substring(OUT_TIME.length()).strip());
				if (micros > this.lastMicros) {
					this.encoded.accept((micros - this.lastMicros) / 1e6);
					this.lastMicros = micros;
				}
			}
			catch (NumberFormatException ex) {
				// "N/A" before the first frame.
			}
		}

	}

}
