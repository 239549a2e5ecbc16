package dev.labkafka.stream.packaging;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.labkafka.stream.media.MediaTools;
import dev.labkafka.testsupport.TestClips;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The length written into a rendition's header after ffmpeg's HLS muxer made it, read
 * back from the bytes: the real length in {@code mvhd}, {@code tkhd} and {@code mdhd},
 * and not one byte moved, so that every byte range of the playlist still starts at the
 * box it started at. Skipped where ffmpeg is not installed.
 */
public class FragmentedMp4DurationTests {

	static final double SECONDS = 10;

	static final Pattern RANGE = Pattern.compile("BYTERANGE[:=]\"?(\\d+)@(\\d+)");

	@TempDir
	static Path work;

	static byte[] encoded;

	static byte[] written;

	static String playlist;

	@BeforeAll
	static void rendition() throws Exception {
		assumeThat(TestClips.ffmpegInstalled()).as("ffmpeg and ffprobe installed").isTrue();
		Path clip = TestClips.make(work, 640, 360, SECONDS, true);
		Path media = work.resolve("360.mp4");
		Path list = work.resolve("360.m3u8");
		new MediaTools("ffmpeg", "ffprobe").encode(clip, 360, clip, list, media, Duration.ofMinutes(2), (s) -> {
		});
		encoded = Files.readAllBytes(media);
		FragmentedMp4Duration.write(media);
		written = Files.readAllBytes(media);
		playlist = Files.readString(list);
	}

	@Test
	void ffmpegLeavesTheLengthZero() {
		assertThat(headerSeconds(encoded)).as("what ffmpeg wrote").isNotEmpty().allSatisfy((box, seconds) -> {
			assertThat(seconds).as(box).isZero();
		});
	}

	@Test
	void theHeaderSaysTheRealLengthForTheMovieAndEachTrack() {
		Map<String, Double> header = headerSeconds(written);

		assertThat(header.keySet()).containsExactly("mvhd", "tkhd 1", "mdhd 1", "tkhd 2", "mdhd 2");
		assertThat(header.get("mdhd 1")).as("picture, in its own timescale").isEqualTo(SECONDS);
		assertThat(header.values()).allSatisfy((seconds) -> assertThat(seconds).isCloseTo(SECONDS, within(0.05)));
		assertThat(header.get("mvhd")).isEqualTo(Math.max(header.get("tkhd 1"), header.get("tkhd 2")));
	}

	@Test
	void onlyTheDurationFieldsChange() {
		assertThat(written).hasSameSizeAs(encoded);
		List<Integer> changed = new ArrayList<>();
		for (int i = 0; i < written.length; i++) {
			if (written[i] != encoded[i]) {
				changed.add(i);
			}
		}
		assertThat(changed).isNotEmpty().allSatisfy((at) -> assertThat(inDurationField(written, at)).isTrue());
	}

	@Test
	void thePlaylistsRangesStillStartAtTheInitSegmentAndEachFragment() {
		Matcher ranges = RANGE.matcher(playlist);
		long next = 0;
		int segments = 0;
		while (ranges.find()) {
			long length = Long.parseLong(ranges.group(1));
			long offset = Long.parseLong(ranges.group(2));
			assertThat(offset).as("ranges one after the other").isEqualTo(next);
			List<String> boxes = boxes(written, (int) offset, (int) (offset + length));
			if (offset == 0) {
				assertThat(boxes).as("the init segment").containsExactly("ftyp", "moov");
			}
			else {
				assertThat(boxes).as("segment %d", ++segments).containsExactly("moof", "mdat");
			}
			next = offset + length;
		}
		assertThat(segments).isEqualTo(5);
		assertThat(next).as("the last range ends the file").isEqualTo(written.length);
	}

	/**
	 * The seconds the header of an MP4 file says: {@code mvhd}, then {@code tkhd} and
	 * {@code mdhd} of each track, by track id.
	 */
	public static Map<String, Double> headerSeconds(byte[] mp4) {
		ByteBuffer buf = ByteBuffer.wrap(mp4);
		Map<String, Double> seconds = new LinkedHashMap<>();
		int moov = find(buf, 0, mp4.length, "moov");
		int mvhd = find(buf, moov + 8, end(buf, moov), "mvhd") + 8;
		long movieScale = field(buf, mvhd, 12, 20, false);
		seconds.put("mvhd", field(buf, mvhd, 16, 24, true) / (double) movieScale);
		for (int trak = moov + 8; (trak = find(buf, trak, end(buf, moov), "trak")) >= 0; trak = end(buf, trak)) {
			int tkhd = find(buf, trak + 8, end(buf, trak), "tkhd") + 8;
			int mdia = find(buf, trak + 8, end(buf, trak), "mdia");
			int mdhd = find(buf, mdia + 8, end(buf, mdia), "mdhd") + 8;
			long track = field(buf, tkhd, 12, 20, false);
			seconds.put("tkhd " + track, field(buf, tkhd, 20, 28, true) / (double) movieScale);
			seconds.put("mdhd " + track, field(buf, mdhd, 16, 24, true) / (double) field(buf, mdhd, 12, 20, false));
		}
		return seconds;
	}

	/** Whether byte {@code at} is in the duration field of an mvhd, tkhd or mdhd. */
	private static boolean inDurationField(byte[] mp4, int at) {
		ByteBuffer buf = ByteBuffer.wrap(mp4);
		int moov = find(buf, 0, mp4.length, "moov");
		List<int[]> fields = new ArrayList<>();
		fields.add(durationField(buf, find(buf, moov + 8, end(buf, moov), "mvhd") + 8, 16, 24));
		for (int trak = moov + 8; (trak = find(buf, trak, end(buf, moov), "trak")) >= 0; trak = end(buf, trak)) {
			fields.add(durationField(buf, find(buf, trak + 8, end(buf, trak), "tkhd") + 8, 20, 28));
			int mdia = find(buf, trak + 8, end(buf, trak), "mdia");
			fields.add(durationField(buf, find(buf, mdia + 8, end(buf, mdia), "mdhd") + 8, 16, 24));
		}
		return fields.stream().anyMatch((field) -> at >= field[0] && at < field[1]);
	}

	private static int[] durationField(ByteBuffer buf, int content, int at0, int at1) {
		boolean wide = buf.get(content) == 1;
		int from = content + (wide ? at1 : at0);
		return new int[] { from, from + (wide ? 8 : 4) };
	}

	/**
	 * A field of a full box, at {@code at0} in version 0 and {@code at1} in version 1.
	 */
	private static long field(ByteBuffer buf, int content, int at0, int at1, boolean sized) {
		boolean wide = buf.get(content) == 1;
		return (wide && sized) ? buf.getLong(content + at1)
				: Integer.toUnsignedLong(buf.getInt(content + (wide ? at1 : at0)));
	}

	/** The types of the boxes from {@code from}, which must end exactly at {@code to}. */
	private static List<String> boxes(byte[] mp4, int from, int to) {
		ByteBuffer buf = ByteBuffer.wrap(mp4);
		List<String> types = new ArrayList<>();
		int at = from;
		while (at < to) {
			types.add(type(buf, at));
			at = end(buf, at);
		}
		assertThat(at).as("whole boxes from %d", from).isEqualTo(to);
		return types;
	}

	private static int find(ByteBuffer buf, int from, int to, String type) {
		for (int at = from; at < to; at = end(buf, at)) {
			if (type(buf, at).equals(type)) {
				return at;
			}
		}
		return -1;
	}

	private static int end(ByteBuffer buf, int box) {
		return box + buf.getInt(box);
	}

	private static String type(ByteBuffer buf, int box) {
		return new String(buf.array(), box + 4, 4, StandardCharsets.ISO_8859_1);
	}

}
