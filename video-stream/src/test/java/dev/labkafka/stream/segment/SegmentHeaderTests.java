package dev.labkafka.stream.segment;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import dev.labkafka.messages.VideoMessage.Part;
import dev.labkafka.stream.media.MediaFailure;
import dev.labkafka.stream.media.MediaTools;
import dev.labkafka.stream.media.Mp4Boxes;
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
		assertThat(SegmentHeader.unlike(headers(first, segment(1, 240, "middle.mp4"), last))).isEmpty();
	}

	@Test
	void refusesToJoinASegmentOfAnotherSizeOrMadeWithOtherCodecParameters() throws Exception {
		Path first = segment(0, 240, "a.mp4");
		Path smaller = segment(1, 180, "smaller.mp4");
		List<SegmentHeader> three = headers(first, segment(1, 240, "b.mp4"), smaller);
		assertThat(SegmentHeader.unlike(three)).containsExactly(2);
		assertThat(SegmentHeader.mismatch(three, List.of(2)))
			.startsWith("Segment 3 was made with other codec parameters (avc1 240x180")
			.contains("than the others (avc1 320x240");
		assertThat(SegmentHeader.unlike(headers(smaller, first, first))).as("the first unlike the others")
			.containsExactly(0);
		// The same size and time base, another profile: only the avcC differs.
		Path baseline = directory.resolve("baseline.mp4");
		List<String> command = encoder.command(original.toString(), part(1), baseline);
		command.set(command.indexOf("high"), "baseline");
		new MediaTools("ffmpeg", "ffprobe", 1).run(command, TIMEOUT, (seconds) -> {
		});
		assertThat(TestClips.probe(baseline.toString()).width()).isEqualTo(320);
		assertThat(SegmentHeader.unlike(headers(first, baseline))).as("on a tie, the earliest's holds")
			.containsExactly(1);
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

	@Test
	void failsClearlyOnHostileBoxSizes() throws Exception {
		// After a first box, a 64-bit size that would overflow past the end of the file.
		ByteBuffer huge = ByteBuffer.allocate(40).put(box("free", new byte[0]));
		huge.putInt(1).put(ascii("moov")).putLong(Long.MAX_VALUE);
		assertRefused(huge.array(), "cut short");
		// A header larger than any ffmpeg writes for a segment: not read into memory.
		Path large = directory.resolve("large.mp4");
		try (RandomAccessFile file = new RandomAccessFile(large.toFile(), "rw")) {
			file.writeInt(0);
			file.write(ascii("moov"));
			file.setLength(Mp4Boxes.MAX_READ + 8L);
		}
		assertThatExceptionOfType(MediaFailure.class).isThrownBy(() -> SegmentHeader.read(large))
			.withMessageContaining("more than the " + Mp4Boxes.MAX_READ + " a header may have");
		// A child whose size runs far past its parent.
		assertRefused(moov(box("trak", ByteBuffer.allocate(8).putInt(0x7FFFFFF8).put(ascii("mdia")).array())),
				"cut short");
		// Boxes too short for their fields.
		byte[] hdlr = box("hdlr", new byte[0]);
		assertRefused(moov(box("trak", box("mdia", hdlr))), "too short for its fields");
		byte[] vide = box("hdlr", ByteBuffer.allocate(12).position(8).put(ascii("vide")).array());
		assertRefused(moov(box("trak", box("mdia", concat(vide, box("mdhd", new byte[4]))))),
				"too short for its fields");
	}

	private static void assertRefused(byte[] mp4, String message) throws IOException {
		Path file = Files.write(directory.resolve("hostile.mp4"), mp4);
		assertThatExceptionOfType(MediaFailure.class).isThrownBy(() -> SegmentHeader.read(file))
			.withMessageContaining(message);
	}

	private static byte[] moov(byte[] content) {
		return box("moov", content);
	}

	private static byte[] box(String type, byte[] content) {
		return ByteBuffer.allocate(8 + content.length).putInt(8 + content.length).put(ascii(type)).put(content).array();
	}

	private static byte[] concat(byte[] first, byte[] second) {
		return ByteBuffer.allocate(first.length + second.length).put(first).put(second).array();
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
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

	private static List<SegmentHeader> headers(Path... segments) {
		return Stream.of(segments).map(SegmentHeader::read).toList();
	}

}
