package dev.labkafka.stream.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleConsumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * ffprobe and ffmpeg, as the worker uses them: probe a file, take its poster frame,
 * encode a rendition and the sound its renditions share. Each call runs one program
 * through {@link MediaProcess}, so each is bounded in time and leaves no process behind.
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
		return probe(file.toString());
	}

	/**
	 * What the file at {@code input} holds: a path, or a URL ffprobe reads with byte
	 * ranges.
	 * @throws MediaFailure when ffprobe cannot read it, or it has no picture
	 */
	public MediaInfo probe(String input) throws InterruptedException {
		String output = MediaProcess.run(List.of(this.ffprobe, "-v", "error", "-print_format", "json", "-show_format",
				"-show_streams", "-show_data", input), QUICK, null, this.running);
		JsonNode probed;
		try {
			probed = this.json.readTree(output);
		}
		catch (JacksonException ex) {
			throw new MediaFailure("ffprobe's answer is not JSON: " + ex.getOriginalMessage(), ex);
		}
		return MediaInfo.read(probed);
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
	 * ratio, rounded to an even number) as one fragmented MP4 file that serves both
	 * progressive playback and HLS: H.264 (yuv420p, High profile) at the quality of CRF
	 * 23 under its scale's cap ({@link Ladder}), with a keyframe every two seconds from
	 * the start and none elsewhere (no scene-cut keyframes), so that every rendition of a
	 * source has its keyframes at the same times; and the sound of {@code audio}, copied.
	 * ffmpeg's HLS muxer writes {@code media} (the init segment, then one fragment per
	 * two seconds) and {@code playlist}, the media playlist of byte ranges of it.
	 * @param audio a file whose first sound track goes into the rendition as it is (the
	 * source itself when its sound is AAC-LC, else the sound {@link #encodeAudio} made),
	 * or null for none
	 * @param encoded given the seconds of media encoded since the last call, as ffmpeg
	 * reports its progress
	 * @throws MediaFailure when ffmpeg fails or runs out of time; {@code media} and
	 * {@code playlist} may then hold part of a file, which the caller removes
	 */
	public void encode(Path source, int height, @Nullable Path audio, Path playlist, Path media, Duration timeout,
			DoubleConsumer encoded) throws InterruptedException {
		List<String> command = ffmpeg();
		command.addAll(List.of("-i", source.toString()));
		boolean soundOfItsOwn = audio != null && !audio.equals(source);
		if (soundOfItsOwn) {
			command.addAll(List.of("-i", audio.toString()));
		}
		command.addAll(List.of("-map", "0:v:0"));
		if (audio != null) {
			command.addAll(List.of("-map", soundOfItsOwn ? "1:a:0" : "0:a:0", "-c:a", "copy"));
		}
		command.addAll(videoEncoding(height, ""));
		command.addAll(hls(media));
		command.add(playlist.toString());
		MediaProcess.run(command, timeout, new EncodeProgress(encoded), this.running);
		if (!nonEmpty(media) || !nonEmpty(playlist)) {
			throw new MediaFailure("ffmpeg wrote nothing to " + media.getFileName());
		}
	}

	/**
	 * Encodes the first sound track of {@code source} as AAC-LC stereo at 128 kbit/s into
	 * {@code m4a} (MP4 with no picture): the sound every rendition of a video copies, so
	 * that it is encoded once, not once per rendition.
	 * @param encoded given the seconds encoded since the last call
	 * @throws MediaFailure when ffmpeg fails or runs out of time
	 */
	public void encodeAudio(Path source, Path m4a, Duration timeout, DoubleConsumer encoded)
			throws InterruptedException {
		encodeAudio(source.toString(), false, m4a, timeout, encoded);
	}

	/**
	 * Writes the first sound track of {@code input} (a path or a URL) into {@code m4a}:
	 * copied as it is when {@code copy} (it is AAC-LC already), else encoded as
	 * {@link #encodeAudio(Path, Path, Duration, DoubleConsumer)} does.
	 * @throws MediaFailure when ffmpeg fails or runs out of time
	 */
	public void encodeAudio(String input, boolean copy, Path m4a, Duration timeout, DoubleConsumer encoded)
			throws InterruptedException {
		List<String> command = new ArrayList<>(List.of(this.ffmpeg, "-nostdin", "-hide_banner", "-v", "error", "-y",
				"-i", input, "-map", "0:a:0", "-vn"));
		command.addAll(copy ? List.of("-c:a", "copy") : List.of("-c:a", "aac", "-b:a", "128k", "-ac", "2"));
		command.addAll(List.of("-progress", "pipe:1", "-nostats", "-f", "mp4", m4a.toString()));
		MediaProcess.run(command, timeout, new EncodeProgress(encoded), this.running);
		if (!nonEmpty(m4a)) {
			throw new MediaFailure("ffmpeg wrote no sound to " + m4a.getFileName());
		}
	}

	/**
	 * The start of an ffmpeg command line: the program, quiet, overwriting its output,
	 * with the decoders' threads.
	 */
	public List<String> ffmpeg() {
		List<String> command = new ArrayList<>(List.of(this.ffmpeg, "-nostdin", "-hide_banner", "-v", "error", "-y"));
		command.addAll(threads());
		return command;
	}

	/**
	 * ffmpeg's output options for a rendition's picture {@code height} pixels high, the
	 * same for a whole rendition and for each of its segments: H.264 (yuv420p, High
	 * profile) at the quality of CRF 23 under the scale's cap ({@link Ladder}), a
	 * keyframe every two seconds from the output's first frame and none elsewhere, and
	 * progress reports on the standard output.
	 * @param filters filters that run on the decoded picture before it is scaled, each
	 * followed by a comma, or empty
	 */
	public List<String> videoEncoding(int height, String filters) {
		int cap = Ladder.capKbps(height);
		List<String> options = new ArrayList<>(List.of("-vf", filters + "scale=-2:" + even(height), "-c:v", "libx264"));
		options.addAll(threads());
		options.addAll(List.of("-preset", "veryfast", "-crf", "23", "-maxrate", cap + "k", "-bufsize", 2 * cap + "k",
				"-profile:v", "high", "-pix_fmt", "yuv420p", "-force_key_frames",
				"expr:gte(t,n_forced*" + Ladder.SEGMENT_SECONDS + ")", "-sc_threshold", "0", "-g", "100000",
				"-progress", "pipe:1", "-nostats"));
		return options;
	}

	/**
	 * Runs an ffmpeg command line under this tool's control: bounded in time, and killed
	 * when the worker stops or the video its thread works for is deleted.
	 * @param encoded given the seconds of media written since the last call
	 * @throws MediaFailure when ffmpeg fails or runs out of time
	 */
	public void run(List<String> command, Duration timeout, DoubleConsumer encoded) throws InterruptedException {
		MediaProcess.run(command, timeout, new EncodeProgress(encoded), this.running);
	}

	private List<String> threads() {
		return (this.threads > 0) ? List.of("-threads", String.valueOf(this.threads)) : List.of();
	}

	/**
	 * ffmpeg's HLS muxer, writing fragmented MP4 into one file with a byte-range VOD
	 * playlist of two-second segments, and no {@code sidx} before each fragment: an index
	 * of that one fragment only, which Chromium's {@code <video>} takes for the length of
	 * the whole file (2 s, then growing as it plays). HLS players do not need them.
	 */
	public static List<String> hls(Path media) {
		return List.of("-f", "hls", "-hls_segment_type", "fmp4", "-hls_flags", "single_file", "-hls_segment_options",
				"movflags=+skip_sidx", "-hls_time", String.valueOf(Ladder.SEGMENT_SECONDS), "-hls_playlist_type", "vod",
				"-hls_segment_filename", media.toString());
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

}
