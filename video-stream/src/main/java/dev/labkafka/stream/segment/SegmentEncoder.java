package dev.labkafka.stream.segment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleConsumer;
import java.util.stream.Collectors;

import dev.labkafka.messages.VideoMessage.Part;
import dev.labkafka.stream.media.MediaFailure;
import dev.labkafka.stream.media.MediaTools;
import org.jspecify.annotations.Nullable;

/**
 * ffmpeg's two commands for a rendition in segments.
 * <p>
 * A segment is encoded from the original with the whole rendition's settings
 * ({@link MediaTools#videoEncoding}) and holds exactly the frames whose timestamps fall
 * in its interval: ffmpeg seeks to the keyframe before its start (or a margin before, in
 * a container without an index), decodes from there with the original's timestamps, and a
 * {@code trim} on those timestamps keeps the frames from the start, inclusive, to the
 * end, exclusive, the next segment's start: no frame missing or doubled at a cut,
 * B-frames or not. Its timestamps then start at 0, so its first frame is its first
 * keyframe, on the renditions' two-second grid.
 * <p>
 * The stitch joins the segments with the concat demuxer, copying (no encoding again:
 * every segment has the same codec parameters, time base and size, as one command line
 * made them all), muxes in the shared sound, and writes the same fragmented MP4 with an
 * HLS playlist of byte ranges as a whole encode.
 */
class SegmentEncoder {

	private final MediaTools tools;

	SegmentEncoder(MediaTools tools) {
		this.tools = tools;
	}

	/**
	 * Encodes the segment {@code part} of the original at {@code input} (a path, or a URL
	 * read with byte ranges) into {@code mp4}, picture only.
	 */
	void encode(String input, Part part, Path mp4, Duration timeout, DoubleConsumer encoded)
			throws InterruptedException {
		this.tools.run(command(input, part, mp4), timeout, encoded);
		if (size(mp4) == 0) {
			throw new MediaFailure("ffmpeg wrote nothing for segment " + part.index());
		}
	}

	List<String> command(String input, Part part, Path mp4) {
		String from = seconds(part.origin() + part.start());
		String trim = "trim=start=" + from
				+ (part.last() ? "" : ":end=" + seconds(part.origin() + (part.index() + 1) * part.seconds()));
		List<String> command = this.tools.ffmpeg();
		command.addAll(List.of("-noaccurate_seek", "-ss", seconds(Math.max(0, part.start() - part.seekMargin())),
				"-copyts", "-i", input, "-map", "0:v:0", "-an"));
		command.addAll(this.tools.videoEncoding(part.height(), trim + ",setpts=PTS-STARTPTS,"));
		command.addAll(List.of("-fps_mode", "passthrough", "-f", "mp4", mp4.toString()));
		return command;
	}

	/**
	 * Joins the segments, in order, with the sound of {@code sound} (or none) starting
	 * {@code soundOffset} seconds after the picture, as in the original, into
	 * {@code media} and its media playlist {@code playlist}.
	 * @param list a work file for the concat demuxer's list
	 */
	void stitch(List<Path> segments, @Nullable Path sound, double soundOffset, Path list, Path playlist, Path media,
			Duration timeout, DoubleConsumer written) throws InterruptedException {
		try {
			Files.writeString(list,
					segments.stream()
						.map((segment) -> "file '" + segment.toAbsolutePath() + "'")
						.collect(Collectors.joining("\n", "", "\n")));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		List<String> command = this.tools.ffmpeg();
		command.addAll(List.of("-f", "concat", "-safe", "0", "-i", list.toString()));
		if (sound != null) {
			if (Math.abs(soundOffset) >= 0.001) {
				// The sound was stored from 0; it starts this much after the picture.
				command.addAll(List.of("-itsoffset", seconds(soundOffset)));
			}
			command.addAll(List.of("-i", sound.toString()));
		}
		command.addAll(List.of("-map", "0:v:0"));
		if (sound != null) {
			command.addAll(List.of("-map", "1:a:0"));
		}
		command.addAll(List.of("-c", "copy", "-progress", "pipe:1", "-nostats"));
		command.addAll(MediaTools.hls(media));
		command.add(playlist.toString());
		this.tools.run(command, timeout, written);
		if (size(media) == 0 || size(playlist) == 0) {
			throw new MediaFailure("ffmpeg wrote nothing when it stitched the segments");
		}
	}

	/** Seconds as ffmpeg reads them, to the microsecond its options keep. */
	static String seconds(double seconds) {
		return String.format(Locale.ROOT, "%.6f", seconds);
	}

	private static long size(Path file) {
		try {
			return Files.size(file);
		}
		catch (IOException ex) {
			return 0;
		}
	}

}
