package dev.labkafka.stream.segment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import dev.labkafka.messages.VideoMessage.Part;
import dev.labkafka.stream.media.MediaFailure;
import dev.labkafka.stream.media.MediaTools;
import dev.labkafka.testsupport.TestClips;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * What {@link SegmentHeader} reads of segments made by {@link SegmentEncoder} with the
 * worker's own command lines, against what ffprobe says; and the stitch's check that the
 * segments it joins share their format.
 */
class SegmentHeaderTests {

	static final Duration TIMEOUT = Duration.ofMinutes(1);

	@TempDir
	static Path directory;

	static Path original;

	static SegmentEncoder encoder;

	@BeforeAll
	static void original() {
		assumeThat(TestClips.ffmpegInstalled()).as("ffmpeg and ffprobe installed").isTrue();
		original = TestClips.make(directory, 320, 240, 10, true);
		encoder = new SegmentEncoder(new MediaTools("ffmpeg", "ffprobe", 1));
	}

	@Test
	void readsASegmentsLengthAsFfprobeDoesAndItsFormatTheSameForEverySegmentOfOneCommandLine() throws Exception {
		Path first = segment(0, 240, "first.mp4");
		Path last = segment(2, 240, "last.mp4");
		SegmentHeader header = SegmentHeader.read(first);
		assertThat(header.seconds()).isCloseTo(TestClips.probe(first.toString()).duration(), within(0.04));
		assertThat(header.seconds()).isCloseTo(4, within(0.04));
		assertThat(SegmentHeader.read(last).seconds()).as("the last one: 8 s to the end").isCloseTo(2, within(0.04));
		assertThat(header.format()).startsWith("avc1 320x240 1/").contains(" avcC ");
		assertThat(SegmentHeader.read(last).format()).isEqualTo(header.format());
		SegmentHeader.requireSameFormat(List.of(first, segment(1, 240, "middle.mp4"), last));
	}

	@Test
	void refusesToJoinASegmentOfAnotherSizeOrMadeWithOtherCodecParameters() throws Exception {
		Path first = segment(0, 240, "a.mp4");
		Path smaller = segment(1, 180, "smaller.mp4");
		assertThatExceptionOfType(MediaFailure.class)
			.isThrownBy(() -> SegmentHeader.requireSameFormat(List.of(first, segment(1, 240, "b.mp4"), smaller)))
			.withMessageContaining("Segment 3 was made with other codec parameters (avc1 240x180");
		// The same size and time base, another profile: only the avcC differs.
		Path baseline = directory.resolve("baseline.mp4");
		List<String> command = encoder.command(original.toString(), part(1), baseline);
		command.set(command.indexOf("high"), "baseline");
		new MediaTools("ffmpeg", "ffprobe", 1).run(command, TIMEOUT, (seconds) -> {
		});
		assertThat(TestClips.probe(baseline.toString()).width()).isEqualTo(320);
		assertThatExceptionOfType(MediaFailure.class)
			.isThrownBy(() -> SegmentHeader.requireSameFormat(List.of(first, baseline)))
			.withMessageContaining("Segment 2 was made with other codec parameters");
	}

	@Test
	void failsClearlyOnAFileWithoutAPictureOrWithItsHeaderCutShort() throws Exception {
		Path sound = directory.resolve("sound.m4a");
		new MediaTools("ffmpeg", "ffprobe", 1).encodeAudio(original, sound, TIMEOUT, (seconds) -> {
		});
		assertThatExceptionOfType(MediaFailure.class).isThrownBy(() -> SegmentHeader.read(sound))
			.withMessage("The segment has no picture track");
		byte[] whole = Files.readAllBytes(segment(0, 240, "whole.mp4"));
		Path cut = directory.resolve("cut.mp4");
		Files.write(cut, Arrays.copyOf(whole, whole.length - 100));
		assertThatExceptionOfType(MediaFailure.class).isThrownBy(() -> SegmentHeader.read(cut))
			.withMessageContaining("cut short");
	}

	/** Segment {@code index} of the 10 s original in 4 s segments, at {@code height}. */
	private static Path segment(int index, int height, String name) throws IOException, InterruptedException {
		Path mp4 = directory.resolve(name);
		Part part = part(index);
		encoder.encode(original.toString(),
				new Part(part.index(), part.count(), part.seconds(), height, part.origin(), part.seekMargin()), mp4,
				TIMEOUT, (seconds) -> {
				});
		return mp4;
	}

	private static Part part(int index) {
		return new Part(index, 3, 4, 240, 0, 0);
	}

}
