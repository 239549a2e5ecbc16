package dev.labkafka.stream.segment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import dev.labkafka.messages.VideoMessage.Part;
import dev.labkafka.stream.media.MediaInfo;
import dev.labkafka.stream.media.MediaTools;
import dev.labkafka.stream.segment.StitchChecks.Check;
import dev.labkafka.stream.segment.StitchChecks.Reference;
import dev.labkafka.stream.segment.StitchChecks.Streams;
import dev.labkafka.stream.segment.StitchChecks.Verdict;
import dev.labkafka.testsupport.TestClips;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The stitched rendition equals a single encode: a 25-second clip of moving, noisy
 * pictures with B-frames and a keyframe every 3 s (off the segments' 4 s grid) and a
 * tone, cut by {@link SegmentPlan} into 4 s segments, each encoded by
 * {@link SegmentEncoder}, the sound once by {@link MediaTools#encodeAudio}, stitched by
 * {@link SegmentEncoder#stitch}, and compared ({@link StitchChecks}) with the original
 * and with the whole rendition {@link MediaTools#encode} makes with the same settings:
 * frames, duration, continuity at every cut, keyframes, audio against video, PSNR.
 * <p>
 * The second half of the class cuts and joins naively ({@link Naive}) and shows that
 * these checks catch each naive way.
 */
class SegmentQualityTests {

	/** The segments' length, in seconds. */
	static final double SEGMENT = 4;

	/** The rendition's height: the original's. */
	static final int HEIGHT = 360;

	static final double SECONDS = 25;

	static final Duration TIMEOUT = Duration.ofMinutes(2);

	static final SegmentPlan PLAN = new SegmentPlan(true, 6, SEGMENT);

	@TempDir
	static Path directory;

	static MediaTools tools;

	static SegmentEncoder encoder;

	/** The MP4 original, its sound, its whole rendition and its segments. */
	static Source mp4;

	@BeforeAll
	static void original() throws Exception {
		assumeThat(TestClips.ffmpegInstalled()).as("ffmpeg and ffprobe installed").isTrue();
		tools = new MediaTools("ffmpeg", "ffprobe", 1);
		encoder = new SegmentEncoder(tools);
		mp4 = Source.of(clip(directory.resolve("original.mp4")));
	}

	@Test
	void aStitchedRenditionHasEveryFrameOnceOnTheGridInSyncAndAsGoodAsAWholeEncode() throws Exception {
		assertThat(mp4.info().indexed()).isTrue();
		assertThat(mp4.parts()).as("25 s in 4 s segments, the last taking the 1 s rest").hasSize(6);
		assertThat(mp4.reference().originalStreams().frames()).as("25 s at 25 fps").hasSize(625);
		assertThat(keyframes(mp4.original())).as("the original's keyframes, off the segments' grid")
			.containsExactly(0.0, 3.0, 6.0, 9.0, 12.0, 15.0, 18.0, 21.0, 24.0);
		for (Path segment : mp4.segments()) {
			assertThat(StitchChecks.streams(segment).hasAudio()).as("a segment is picture only").isFalse();
		}

		Path stitched = stitch(mp4, mp4.segments(), "stitched");

		Verdict verdict = StitchChecks.check(stitched, mp4.reference(), SEGMENT, mp4.parts().size());
		assertThat(verdict.failures()).as(figures(verdict, mp4)).isEmpty();
		assertThat(StitchChecks.check(mp4.whole(), mp4.reference(), SEGMENT, mp4.parts().size()).failures())
			.as("the whole encode passes the same checks")
			.isEmpty();
		assertThat(verdict.streams().videoStart())
			.as("the fMP4 HLS file starts at the B-frames' delay, as a whole encode")
			.isCloseTo(mp4.reference().whole().videoStart(), within(0.001));
		System.out.println("MP4 original: " + figures(verdict, mp4));
	}

	@Test
	void aStitchedRenditionKeepsTheOriginalsSoundAsLateAsItWas() throws Exception {
		Path late = directory.resolve("late-sound.mp4");
		StitchChecks.run(
				List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-i", mp4.original().toString(), "-itsoffset", "0.3",
						"-i", mp4.original().toString(), "-map", "0:v", "-map", "1:a", "-c", "copy", late.toString()));
		Source source = Source.of(late);
		StitchChecks.Streams original = StitchChecks.streams(late);
		double lateBy = original.audioStart() - original.videoStart();
		assertThat(lateBy).as("the original's sound starts after its picture").isGreaterThan(0.25);

		StitchChecks.Streams stitched = StitchChecks.streams(stitch(source, source.segments(), "stitched-late"));

		assertThat(stitched.audioStart() - stitched.videoStart()).as("the sound as late against the picture")
			.isCloseTo(lateBy, within(0.04));
	}

	// The naive ways, each caught.

	@Test
	void aStreamCopyCutAtTheOriginalsKeyframesIsCaught() throws Exception {
		List<Path> segments = Naive.encode(mp4, "copy-cut", Naive::copyCut);

		Map<Check, String> failures = check(stitch(mp4, segments, "naive-copy-cut"));

		assertThat(failures).as("each piece starts at the keyframe before its cut: frames doubled at every cut")
			.containsKeys(Check.FRAMES, Check.DURATION, Check.KEYFRAMES, Check.AV_SYNC, Check.PSNR);
	}

	@Test
	void streamCopyCutsJoinedAsTheyAreAreCaught() throws Exception {
		List<Path> pieces = Naive.encode(mp4, "copy-pieces", Naive::copyPiece);

		Map<Check, String> failures = check(stitch(mp4, pieces, "naive-copy-pieces"));

		assertThat(failures).as("the frames before each cut, down to the keyframe, twice, at the same times")
			.containsKeys(Check.FRAMES, Check.CONTINUITY, Check.KEYFRAMES, Check.PSNR);
	}

	@Test
	void aSeekToTheKeyframeBeforeWithoutATrimIsCaught() throws Exception {
		List<Path> segments = Naive.encode(mp4, "no-trim", Naive::seekWithoutTrim);

		Map<Check, String> failures = check(stitch(mp4, segments, "naive-no-trim"));

		assertThat(failures).as("pieces start at the keyframe before their cut and stop short or long")
			.containsKeys(Check.FRAMES, Check.DURATION, Check.KEYFRAMES, Check.AV_SYNC, Check.PSNR);
	}

	@Test
	void segmentsThatKeepTheOriginalsTimestampsAreCaught() throws Exception {
		List<Path> segments = Naive.encode(mp4, "copyts", Naive::trimKeepingTimestamps);

		Map<Check, String> failures = check(stitch(mp4, segments, "naive-copyts"));

		assertThat(failures).as("each piece's frames after a gap as long as its start: the concat demuxer adds them")
			.containsKeys(Check.CONTINUITY, Check.DURATION, Check.AV_SYNC);
	}

	@Test
	void aConcatProtocolJoinOfTheMp4SegmentsIsCaught() throws Exception {
		Path joined = Naive.concatProtocol(mp4, "naive-concat-protocol");

		Map<Check, String> failures = check(joined);

		assertThat(failures).as("the concat protocol reads the first MP4's index only: the first segment alone")
			.containsKeys(Check.FRAMES, Check.DURATION, Check.KEYFRAMES, Check.AV_SYNC, Check.PSNR);
	}

	private static Map<Check, String> check(Path result) {
		Map<Check, String> failures = StitchChecks.check(result, mp4.reference(), SEGMENT, mp4.parts().size())
			.failures();
		System.out.println(result.getFileName() + ": " + failures);
		return failures;
	}

	private static Path stitch(Source source, List<Path> segments, String name) throws InterruptedException {
		Path media = directory.resolve(name + ".mp4");
		encoder.stitch(segments, source.sound(), source.info().audioStart() - source.info().videoStart(),
				directory.resolve(name + ".txt"), directory.resolve(name + ".m3u8"), media, TIMEOUT, (seconds) -> {
				});
		return media;
	}

	private static String figures(Verdict verdict, Source source) {
		Streams streams = verdict.streams();
		Streams whole = source.reference().whole();
		return String.format(Locale.ROOT,
				"frames %d (original %d, whole %d); picture %.3f s (original %.3f s); "
						+ "sound-picture start %+.3f s, end %+.3f s (whole %+.3f s, %+.3f s); "
						+ "PSNR stitched %.2f dB, whole %.2f dB; keyframes %s",
				streams.frames().size(), source.reference().originalStreams().frames().size(), whole.frames().size(),
				streams.duration(), source.reference().originalStreams().duration(),
				streams.audioStart() - streams.videoStart(), streams.audioEnd() - streams.videoEnd(),
				whole.audioStart() - whole.videoStart(), whole.audioEnd() - whole.videoEnd(), verdict.psnr(),
				source.reference().wholePsnr(),
				streams.keyframeOffsets()
					.stream()
					.map((time) -> String.format(Locale.ROOT, "%.2f", time))
					.collect(Collectors.joining(",")));
	}

	/** The original's keyframes' times after its first frame, to the millisecond. */
	private static List<Double> keyframes(Path file) {
		return StitchChecks.streams(file)
			.keyframeOffsets()
			.stream()
			.map((time) -> Math.round(time * 1000) / 1000.0)
			.toList();
	}

	/**
	 * A 640x360 clip, {@value #SECONDS} s at 25 fps, of moving pictures with noise in
	 * every frame, and a tone; H.264 with three B-frames and a keyframe every 75 frames
	 * (3 s), so that most segment starts fall between the original's keyframes.
	 */
	static Path clip(Path clip) {
		StitchChecks.run(List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
				"testsrc2=size=640x360:rate=25,noise=alls=12:allf=t", "-f", "lavfi", "-i", "sine=frequency=440", "-t",
				String.valueOf(SECONDS), "-c:v", "libx264", "-threads", "1", "-preset", "ultrafast", "-bf", "3", "-g",
				"75", "-keyint_min", "75", "-sc_threshold", "0", "-pix_fmt", "yuv420p", "-c:a", "aac",
				clip.toString()));
		return clip;
	}

	interface Job<T> {

		T run(Part part) throws InterruptedException;

	}

	/**
	 * Runs {@code job} for each part, two at a time (as two consumers would): each ffmpeg
	 * has one thread.
	 */
	static <T> List<T> inParallel(List<Part> parts, Job<T> job) throws InterruptedException {
		ExecutorService executor = Executors.newFixedThreadPool(2);
		try {
			List<Future<T>> futures = new ArrayList<>();
			for (Part part : parts) {
				futures.add(executor.submit(() -> job.run(part)));
			}
			List<T> results = new ArrayList<>();
			for (Future<T> future : futures) {
				results.add(future.get());
			}
			return List.copyOf(results);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException(ex.getCause());
		}
		finally {
			executor.shutdownNow();
		}
	}

	/**
	 * An original with what the pipeline makes of it: its plan, its sound (copied when it
	 * is AAC-LC, as {@link SharedAudio} does), its whole rendition, and its segments
	 * encoded by {@link SegmentEncoder}.
	 */
	record Source(Path original, MediaInfo info, List<Part> parts, Path sound, Path whole, Reference reference,
			List<Path> segments) {

		static Source of(Path original) throws InterruptedException {
			String name = original.getFileName().toString().replace('.', '-');
			MediaInfo info = tools.probe(original);
			List<Part> parts = PLAN.parts(info, HEIGHT);
			Path sound = directory.resolve(name + "-sound.m4a");
			tools.encodeAudio(original.toString(), info.audioCopyable(), sound, TIMEOUT, (seconds) -> {
			});
			Path whole = directory.resolve(name + "-whole.mp4");
			tools.encode(original, HEIGHT, sound, directory.resolve(name + "-whole.m3u8"), whole, TIMEOUT,
					(seconds) -> {
					});
			List<Path> segments = inParallel(parts, (part) -> {
				Path segment = directory.resolve(name + "-segment-" + part.index() + ".mp4");
				encoder.encode(original.toString(), part, segment, TIMEOUT, (seconds) -> {
				});
				return segment;
			});
			return new Source(original, info, parts, sound, whole, new Reference(original, whole),
					List.copyOf(segments));
		}

	}

	/**
	 * Naive ways to cut and join, for the checks to catch: not the worker's code. Each
	 * segment is encoded with the worker's own settings
	 * ({@link MediaTools#videoEncoding}); only the cut, or the join, differs.
	 */
	static final class Naive {

		private Naive() {
		}

		interface Cut {

			void make(Source source, Part part, Path mp4) throws InterruptedException;

		}

		static List<Path> encode(Source source, String name, Cut cut) throws InterruptedException {
			return inParallel(source.parts(), (part) -> {
				Path segment = directory.resolve("naive-" + name + "-" + part.index() + ".mp4");
				cut.make(source, part, segment);
				return segment;
			});
		}

		/**
		 * A stream-copy cut of the original ({@code -ss S -i original -t L -c copy}),
		 * which can only start at a keyframe of the original, kept as it is.
		 */
		static void copyPiece(Source source, Part part, Path mp4) throws InterruptedException {
			List<String> cut = tools.ffmpeg();
			cut.addAll(List.of("-ss", SegmentEncoder.seconds(part.start()), "-i", source.original().toString()));
			cut.addAll(length(part));
			cut.addAll(List.of("-map", "0:v:0", "-c", "copy", "-f", "mp4", mp4.toString()));
			run(cut);
		}

		/**
		 * MediaCMS's way: a stream-copy cut of the original
		 * ({@code -ss S -i original -t L
		 * -c copy}), which can only start at a keyframe of the original, then that piece
		 * encoded.
		 */
		static void copyCut(Source source, Part part, Path mp4) throws InterruptedException {
			Path piece = mp4.resolveSibling(mp4.getFileName() + "-piece.mp4");
			copyPiece(source, part, piece);
			List<String> encode = tools.ffmpeg();
			encode.addAll(List.of("-i", piece.toString(), "-map", "0:v:0", "-an"));
			encode.addAll(tools.videoEncoding(part.height(), ""));
			encode.addAll(List.of("-f", "mp4", mp4.toString()));
			run(encode);
		}

		/**
		 * A fast seek to the keyframe before the cut ({@code -noaccurate_seek -ss S -i
		 * original -t L}), with no trim to the exact frames.
		 */
		static void seekWithoutTrim(Source source, Part part, Path mp4) throws InterruptedException {
			List<String> command = tools.ffmpeg();
			command.addAll(List.of("-noaccurate_seek", "-ss", SegmentEncoder.seconds(part.start()), "-i",
					source.original().toString()));
			command.addAll(length(part));
			command.addAll(List.of("-map", "0:v:0", "-an"));
			command.addAll(tools.videoEncoding(part.height(), ""));
			command.addAll(List.of("-f", "mp4", mp4.toString()));
			run(command);
		}

		/**
		 * The exact frames ({@code trim}) but the original's timestamps kept
		 * ({@code -copyts}, no {@code setpts}): each piece starts at its time in the
		 * original, not at 0.
		 */
		static void trimKeepingTimestamps(Source source, Part part, Path mp4) throws InterruptedException {
			String trim = "trim=start=" + SegmentEncoder.seconds(part.origin() + part.start()) + (part.last() ? ""
					: ":end=" + SegmentEncoder.seconds(part.origin() + part.start() + part.seconds()));
			List<String> command = tools.ffmpeg();
			command.addAll(List.of("-noaccurate_seek", "-ss", SegmentEncoder.seconds(part.start()), "-copyts", "-i",
					source.original().toString(), "-map", "0:v:0", "-an"));
			command.addAll(tools.videoEncoding(part.height(), trim + ","));
			command.addAll(List.of("-fps_mode", "passthrough", "-f", "mp4", mp4.toString()));
			run(command);
		}

		/**
		 * The right segments joined with the concat protocol
		 * ({@code concat:a.mp4|b.mp4}), which joins bytes, not MP4 files, and the sound
		 * muxed in.
		 */
		static Path concatProtocol(Source source, String name) throws InterruptedException {
			Path media = directory.resolve(name + ".mp4");
			List<String> command = tools.ffmpeg();
			command.addAll(List.of("-i",
					"concat:" + source.segments().stream().map(Path::toString).collect(Collectors.joining("|")), "-i",
					source.sound().toString(), "-map", "0:v:0", "-map", "1:a:0", "-c", "copy"));
			command.addAll(MediaTools.hls(media));
			command.add(directory.resolve(name + ".m3u8").toString());
			run(command);
			return media;
		}

		private static List<String> length(Part part) {
			return part.last() ? List.of() : List.of("-t", SegmentEncoder.seconds(part.seconds()));
		}

		private static void run(List<String> command) throws InterruptedException {
			tools.run(command, TIMEOUT, (seconds) -> {
			});
			try {
				assertThat(Files.size(Path.of(command.get(command.size() - 1)))).as("ffmpeg wrote it").isPositive();
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
