package dev.labkafka.stream.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.DoubleAdder;

import dev.labkafka.testsupport.TestClips;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * ffprobe and ffmpeg as the worker runs them, on clips made by ffmpeg: skipped where
 * ffmpeg is not installed (CI installs it).
 */
@ExtendWith(OutputCaptureExtension.class)
class MediaToolsTests {

	@TempDir
	static Path clips;

	static final MediaTools tools = new MediaTools("ffmpeg", "ffprobe");

	@BeforeAll
	static void ffmpeg() {
		assumeThat(TestClips.ffmpegInstalled()).as("ffmpeg and ffprobe installed").isTrue();
	}

	@Test
	void probesTheSizeLengthAndSoundOfClipsOfSeveralShapes() throws Exception {
		assertThat(tools.probe(TestClips.make(clips, 1280, 720, 2, true))).satisfies((media) -> {
			assertThat(media.width()).isEqualTo(1280);
			assertThat(media.height()).isEqualTo(720);
			assertThat(media.duration()).isCloseTo(2, within(0.1));
			assertThat(media.audio()).isTrue();
		});
		assertThat(tools.probe(TestClips.make(clips, 320, 240, 1.5, false))).satisfies((media) -> {
			assertThat(media.width()).isEqualTo(320);
			assertThat(media.height()).isEqualTo(240);
			assertThat(media.duration()).isCloseTo(1.5, within(0.1));
			assertThat(media.audio()).isFalse();
		});
		assertThat(tools.probe(TestClips.make(clips, 480, 640, 1, false))).as("portrait, 3:4")
			.satisfies((media) -> assertThat(media.width() + "x" + media.height()).isEqualTo("480x640"));
	}

	@Test
	void aPhonesPortraitVideoStoredTurnedIsAsTallAsItIsShown() throws Exception {
		Path landscape = TestClips.make(clips, 640, 360, 1, false);
		Path turned = clips.resolve("turned.mp4");
		MediaProcess.run(List.of("ffmpeg", "-v", "error", "-y", "-i", landscape.toString(), "-c", "copy",
				"-metadata:s:v:0", "rotate=90", turned.toString()), Duration.ofMinutes(1), null);

		MediaInfo media = tools.probe(turned);

		assertThat(media.width() + "x" + media.height()).isEqualTo("360x640");
	}

	@Test
	void aFileThatIsNotMediaIsAFailureWithFfprobesReason() throws IOException {
		Path corrupt = clips.resolve("corrupt.mp4");
		byte[] bytes = new byte[50_000];
		byte[] ftyp = { 0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm' };
		System.arraycopy(ftyp, 0, bytes, 0, ftyp.length);
		Files.write(corrupt, bytes);

		assertThatExceptionOfType(MediaFailure.class).isThrownBy(() -> tools.probe(corrupt))
			.withMessageStartingWith("ffprobe failed (exit 1): ")
			.withMessageContaining("corrupt.mp4");
	}

	@Test
	void withoutFfprobeSaysOnceThatNothingIsProbed(CapturedOutput output) {
		MediaTools missing = new MediaTools("ffmpeg", "/nonexistent/ffprobe");

		assertThat(missing.probeAvailable()).isFalse();
		assertThat(missing.probeAvailable()).isFalse();

		assertThat(output.getOut()
			.lines()
			.filter((line) -> line.contains("WARN")
					&& line.contains("videos get no width, height, duration or thumbnail")))
			.hasSize(1);
		assertThat(tools.probeAvailable()).isTrue();
	}

	@Test
	void encodesARenditionOfExactlyTheHeightAsLongAsTheSourceAndReportsProgress() throws Exception {
		Path source = TestClips.make(clips, 1280, 720, 3, true);
		Path playlist = clips.resolve("360.m3u8");
		Path rendition = clips.resolve("360.mp4");
		DoubleAdder encoded = new DoubleAdder();

		tools.encode(source, 360, source, playlist, rendition, Duration.ofMinutes(2), encoded::add);

		TestClips.Probed made = TestClips.probe(rendition.toString());
		assertThat(made.codec()).isEqualTo("h264");
		assertThat(made.width() + "x" + made.height()).isEqualTo("640x360");
		assertThat(made.duration()).as("the whole file, read from its start").isCloseTo(3, within(0.1));
		assertThat(encoded.sum()).as("seconds encoded, from -progress").isCloseTo(3, within(0.2));
		MediaInfo info = tools.probe(rendition);
		assertThat(info.audio()).isTrue();
		assertThat(info.codecs()).as("H.264 High, level 3.0 for 640x360 at 25 fps, and AAC-LC")
			.isEqualTo("avc1.64001e,mp4a.40.2");
		assertThat(info.frameRate()).isEqualTo(25);
		assertThat(Files.readString(playlist)).contains("#EXT-X-MAP:URI=\"360.mp4\",BYTERANGE=\"")
			.contains("#EXT-X-BYTERANGE:")
			.contains("#EXT-X-PLAYLIST-TYPE:VOD")
			.contains("#EXT-X-ENDLIST");
	}

	@Test
	void probesTheCodecsOfWhatItDidNotEncode() throws Exception {
		MediaInfo mute = tools.probe(TestClips.make(clips, 320, 240, 1, false));
		assertThat(mute.codecs()).as("testsrc through x264's ultrafast preset: Constrained Baseline")
			.startsWith("avc1.42c0");
		assertThat(mute.audioCopyable()).isFalse();
		assertThat(tools.probe(TestClips.make(clips, 320, 240, 1, true)).audioCopyable()).as("AAC-LC, mono").isTrue();
	}

	@Test
	void boundsTheThreadsOfAnEncodesDecoderAndEncoderWhenTold() throws Exception {
		// ffmpeg itself, through a script that notes the arguments it is given.
		Path arguments = clips.resolve("arguments.txt");
		Path noting = TestClips.argumentNotingFfmpeg(clips, arguments);
		Path source = TestClips.make(clips, 640, 360, 1, false);

		new MediaTools(noting.toString(), "ffprobe", 2).encode(source, 240, null, clips.resolve("bounded.m3u8"),
				clips.resolve("bounded.mp4"), Duration.ofMinutes(2), (seconds) -> {
				});
		new MediaTools(noting.toString(), "ffprobe").encode(source, 240, null, clips.resolve("unbounded.m3u8"),
				clips.resolve("unbounded.mp4"), Duration.ofMinutes(2), (seconds) -> {
				});

		List<String> runs = Files.readAllLines(arguments);
		assertThat(runs).hasSize(2);
		assertThat(runs.get(0)).contains("-threads 2 -i ").contains("-c:v libx264 -threads 2 ");
		assertThat(runs.get(1)).doesNotContain("-threads ");
		assertThat(TestClips.probe(clips.resolve("bounded.mp4").toString()))
			.satisfies((made) -> assertThat(made.height()).isEqualTo(240));
	}

	@Test
	void keepsTheAspectRatioWithEvenWidths() throws Exception {
		Path source = TestClips.make(clips, 640, 480, 1, false);
		Path rendition = clips.resolve("4-3.mp4");

		tools.encode(source, 360, null, clips.resolve("4-3.m3u8"), rendition, Duration.ofMinutes(2), (seconds) -> {
		});

		assertThat(TestClips.probe(rendition.toString()))
			.satisfies((made) -> assertThat(made.width() + "x" + made.height()).isEqualTo("480x360"));
	}

	@Test
	void takesAJpegPosterFrameAtMost360PixelsHigh() throws Exception {
		Path source = TestClips.make(clips, 1280, 720, 2, false);
		Path jpeg = clips.resolve("poster.jpg");

		tools.thumbnail(source, tools.probe(source), jpeg);

		byte[] bytes = Files.readAllBytes(jpeg);
		assertThat(bytes).startsWith((byte) 0xFF, (byte) 0xD8, (byte) 0xFF);
		assertThat(TestClips.probe(jpeg.toString()).height()).isEqualTo(360);
	}

}
