package dev.labkafka.stream.segment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import dev.labkafka.stream.media.MediaFailure;
import dev.labkafka.stream.media.Mp4Boxes;
import dev.labkafka.stream.media.Mp4Boxes.Box;

/**
 * What a segment's MP4 header says of its picture, read in place of an ffprobe run: its
 * length, and what the stitch needs to be the same in every segment it joins without
 * encoding again (the codec, the picture's size, the time base and the decoder's
 * configuration, for H.264 its {@code avcC} with the SPS and PPS).
 *
 * @param seconds the picture track's length
 * @param format the codec, the size, the time base and the decoder configuration, as one
 * line: equal for segments the concat demuxer can join
 */
record SegmentHeader(double seconds, String format) {

	/**
	 * Reads the header of {@code mp4}, a (not fragmented) MP4 file as ffmpeg writes it.
	 * @throws MediaFailure when it has no picture track or its header is damaged
	 */
	static SegmentHeader read(Path mp4) {
		try (FileChannel file = FileChannel.open(mp4, StandardOpenOption.READ)) {
			ByteBuffer[] moov = new ByteBuffer[1];
			boolean[] wide = new boolean[1];
			Mp4Boxes.topLevel(file, (type, at, size, isWide) -> {
				if (type.equals("moov") && moov[0] == null) {
					moov[0] = Mp4Boxes.read(file, at, size);
					wide[0] = isWide;
				}
			});
			if (moov[0] == null) {
				throw new MediaFailure("The segment has no MP4 header (moov)");
			}
			return read(moov[0], Mp4Boxes.root("moov", moov[0], wide[0]));
		}
		catch (IndexOutOfBoundsException ex) {
			// A box too short for the fields it must hold.
			throw new MediaFailure("The segment's MP4 header is damaged (" + ex.getMessage() + ")");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static SegmentHeader read(ByteBuffer moov, Box root) {
		for (Box trak : Mp4Boxes.find(moov, root, "trak")) {
			List<Box> hdlr = Mp4Boxes.find(moov, trak, "mdia", "hdlr");
			if (hdlr.isEmpty() || !Mp4Boxes.type(moov, Mp4Boxes.field(hdlr.get(0), 8, 4)).equals("vide")) {
				continue;
			}
			Box mdhd = Mp4Boxes.one(Mp4Boxes.find(moov, trak, "mdia", "mdhd"), "mdhd");
			boolean mdhdWide = moov.get(mdhd.content()) == 1;
			long timescale = Mp4Boxes.unsigned(moov, Mp4Boxes.field(mdhd, mdhdWide ? 20 : 12, 4));
			long duration = mdhdWide ? moov.getLong(Mp4Boxes.field(mdhd, 24, 8))
					: Mp4Boxes.unsigned(moov, Mp4Boxes.field(mdhd, 16, 4));
			if (timescale == 0) {
				throw new MediaFailure("The segment's picture has no time base");
			}
			Box stsd = Mp4Boxes.one(Mp4Boxes.find(moov, trak, "mdia", "minf", "stbl", "stsd"), "stsd");
			// Full box (version, flags) and the entry count come before the entries.
			List<Box> entries = Mp4Boxes.children(moov, stsd.skipping(8));
			if (entries.isEmpty()) {
				throw new MediaFailure("The segment's picture has no sample description");
			}
			return new SegmentHeader(duration / (double) timescale, format(moov, entries.get(0), timescale));
		}
		throw new MediaFailure("The segment has no picture track");
	}

	/**
	 * The codec, the size and the decoder configuration of a visual sample entry, and the
	 * time base; not its compressor's name, which one ffmpeg build writes and another
	 * does not, although either's pieces join.
	 */
	private static String format(ByteBuffer moov, Box entry, long timescale) {
		// A visual sample entry: 6 reserved bytes, the data reference index, 16 bytes
		// pre-defined, the width and height, then 50 bytes of resolution, frame count,
		// compressor name and depth before its own boxes.
		Mp4Boxes.field(entry, 0, 78);
		int width = Short.toUnsignedInt(moov.getShort(entry.content() + 24));
		int height = Short.toUnsignedInt(moov.getShort(entry.content() + 26));
		StringBuilder format = new StringBuilder(entry.type()).append(' ')
			.append(width)
			.append('x')
			.append(height)
			.append(" 1/")
			.append(timescale);
		for (Box child : Mp4Boxes.children(moov, entry.skipping(78))) {
			if (configuration(child.type())) {
				format.append(' ')
					.append(child.type())
					.append(' ')
					.append(HexFormat.of().formatHex(Arrays.copyOfRange(moov.array(), child.content(), child.end())));
			}
		}
		return format.toString();
	}

	/** Whether a sample entry's box configures the decoder (H.264, H.265, AV1, VP9). */
	private static boolean configuration(String type) {
		return type.equals("avcC") || type.equals("hvcC") || type.equals("av1C") || type.equals("vpcC");
	}

	/**
	 * The segments that cannot be joined with the others without encoding again: those
	 * whose format differs from the one most of them share (on a tie, the earliest).
	 * @param headers the segments' headers, in order
	 * @return their indexes, in order; empty when all can be joined
	 */
	static List<Integer> unlike(List<SegmentHeader> headers) {
		Map<String, Long> counts = headers.stream()
			.collect(Collectors.groupingBy(SegmentHeader::format, LinkedHashMap::new, Collectors.counting()));
		String common = counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
		return IntStream.range(0, headers.size())
			.filter((index) -> !headers.get(index).format().equals(common))
			.boxed()
			.toList();
	}

	/** Why the segments {@code unlike} of {@code headers} cannot be joined. */
	static String mismatch(List<SegmentHeader> headers, List<Integer> unlike) {
		String common = headers.get(
				IntStream.range(0, headers.size()).filter((index) -> !unlike.contains(index)).findFirst().orElseThrow())
			.format();
		String numbers = unlike.stream().map((index) -> Integer.toString(index + 1)).collect(Collectors.joining(", "));
		return "Segment " + numbers + " was made with other codec parameters (" + headers.get(unlike.get(0)).format()
				+ ") than the others (" + common
				+ "), so they cannot be joined without encoding again; removed, to be made again when the video is"
				+ " retried: do the group's workers run different ffmpeg builds or settings?";
	}

}
