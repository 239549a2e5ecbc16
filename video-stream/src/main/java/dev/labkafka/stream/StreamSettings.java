package dev.labkafka.stream;

import java.nio.file.Path;
import java.time.Duration;

import dev.labkafka.messages.VideoMessage.Part;
import dev.labkafka.stream.media.Ladder;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the stream worker, under {@code video.stream}. The topics and their
 * partitions are not settings: they are the design's, in
 * {@link dev.labkafka.messages.Topics}.
 *
 * @param transcoder what makes the renditions: the lab's {@code mock} (the default), or
 * {@code ffmpeg}
 * @param transcodeTime how long the mock transcoder takes for one rendition
 * @param transcodeTimeout the longest one rendition may take: ffmpeg is killed after it,
 * and a rendition consumer may hold its record this long without the group giving its
 * partitions to another ({@code max.poll.interval.ms} is set a minute above it)
 * @param renditionConcurrency consumer threads making renditions in this process: each
 * makes one rendition at a time, so this is how many renditions run at once. By default 4
 * with the mock (one video's renditions side by side), and the number of processors with
 * ffmpeg (each encode keeps about one processor busy)
 * @param fanOutConcurrency consumer threads fanning uploads out in this process; each
 * fan-out is a transaction of its own, so a burst of uploads waits less with more
 * @param retry how a record that failed for a passing reason is tried again
 * @param media where the media programs are, and where they work
 * @param deletionCheck how often a worker looks whether the videos it works on now were
 * deleted, to stop their programs (one query by ids to MongoDB each time, only while it
 * works on some)
 * @param segments when the ffmpeg transcoder cuts a rendition into segments
 */
@Validated
@ConfigurationProperties("video.stream")
public record StreamSettings(@DefaultValue("mock") @NotNull TranscoderKind transcoder,
		@DefaultValue("3s") @NotNull Duration transcodeTime, @DefaultValue("20m") @NotNull Duration transcodeTimeout,
		@Nullable @Min(1) Integer renditionConcurrency, @DefaultValue("3") @Min(1) int fanOutConcurrency,
		@DefaultValue @Valid @NotNull Retry retry, @DefaultValue @Valid @NotNull Media media,
		@DefaultValue("300ms") @NotNull Duration deletionCheck, @DefaultValue @Valid @NotNull Segments segments) {

	/** The transcoders there are. */
	public enum TranscoderKind {

		/**
		 * The lab's: waits {@code transcode-time}; every variant is the original's url.
		 */
		MOCK,

		/**
		 * Real renditions, encoded by ffmpeg (the rendition module's ffmpeg transcoder).
		 */
		FFMPEG

	}

	/**
	 * Exponential backoff for transient failures (MongoDB unreachable, a broker hiccup).
	 * With the defaults a record is tried 11 times over about three and a half minutes
	 * before it goes to the dead-letter topic and its video is marked failed. A fan-out
	 * is retried in place (its partition waits); a rendition through retry topics, so
	 * that the renditions behind it go on.
	 *
	 * @param initialInterval the wait before the first retry
	 * @param multiplier how much each wait grows
	 * @param maxInterval the longest wait
	 * @param maxRetries retries before giving up
	 */
	public record Retry(@DefaultValue("1s") @NotNull Duration initialInterval, @DefaultValue("2") double multiplier,
			@DefaultValue("30s") @NotNull Duration maxInterval, @DefaultValue("10") @Min(0) int maxRetries) {
	}

	/**
	 * The system's media programs. ffprobe is used in both modes when it can be run (for
	 * the metadata and the poster frame); ffmpeg must be there in {@code ffmpeg} mode.
	 *
	 * @param ffmpeg the ffmpeg program: a name on the {@code PATH}, or a path
	 * @param ffprobe the ffprobe program, likewise
	 * @param workDir where sources and renditions are kept while they are worked on
	 * (removed after each job), in a directory of each worker's own; the system's
	 * temporary directory by default
	 * @param threads the threads each encode's decoder and encoder may use; by default
	 * ffmpeg's choice, from the processors of the machine, which in a container is the
	 * node's: on a large node that is many threads, and much memory, per encode (a 1080p
	 * encode peaked at 330 MB with 3 threads and 790 MB with 24). Set it where several
	 * encodes share a container's few processors.
	 */
	public record Media(@DefaultValue("ffmpeg") @NotBlank String ffmpeg,
			@DefaultValue("ffprobe") @NotBlank String ffprobe, @Nullable Path workDir,
			@Nullable @Min(1) Integer threads) {

		/** {@link #workDir}, or a directory of the system's temporary one. */
		public Path workDirectory() {
			return (this.workDir != null) ? this.workDir
					: Path.of(System.getProperty("java.io.tmpdir"), "video-stream");
		}

	}

	/**
	 * Long videos in segments: with the ffmpeg transcoder, each rendition of a video
	 * longer than {@code threshold} is cut into segments of {@code length} (the last one
	 * takes the rest), encoded as separate jobs on every consumer of the group and
	 * stitched once all are stored. The length is a whole number of the renditions'
	 * two-second keyframe intervals, so that each segment starts on a keyframe of the
	 * whole rendition's grid.
	 *
	 * @param enabled whether long videos are cut at all
	 * @param threshold the length above which a video is cut
	 * @param length each segment's length: a multiple of two seconds, from two to an hour
	 */
	public record Segments(@DefaultValue("true") boolean enabled, @DefaultValue("30s") @NotNull Duration threshold,
			@DefaultValue("20s") @NotNull Duration length) {

		public Segments {
			long millis = length.toMillis();
			long gop = Duration.ofSeconds(Ladder.SEGMENT_SECONDS).toMillis();
			if (millis < gop || millis % gop != 0) {
				throw new IllegalArgumentException("video.stream.segments.length must be a multiple of " + gop / 1000
						+ " s (the renditions' keyframe interval), not " + length);
			}
			if (length.compareTo(Duration.ofSeconds(Part.MAX_SECONDS)) > 0) {
				throw new IllegalArgumentException("video.stream.segments.length must be at most "
						+ Duration.ofSeconds(Part.MAX_SECONDS) + ", not " + length);
			}
			if (threshold.isNegative()) {
				throw new IllegalArgumentException("video.stream.segments.threshold must not be negative");
			}
		}

	}

	/** Consumer threads making renditions: the setting, or the transcoder's default. */
	public int renditionConsumers() {
		if (this.renditionConcurrency != null) {
			return this.renditionConcurrency;
		}
		return (this.transcoder == TranscoderKind.FFMPEG) ? Runtime.getRuntime().availableProcessors() : 4;
	}

	/**
	 * The longest a rendition consumer may go between two polls: the longest transcode
	 * and a minute to record it.
	 */
	public Duration maxPollInterval() {
		return this.transcodeTimeout.plus(Duration.ofMinutes(1));
	}

}
