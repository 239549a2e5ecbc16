package dev.labkafka.stream.segment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

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
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static SegmentHeader read(ByteBuffer moov, Box root) {
		for (Box trak : Mp4Boxes.find(moov, root, "trak")) {
			List<Box> hdlr = Mp4Boxes.find(moov, trak, "mdia", "hdlr");
			if (hdlr.isEmpty() || !Mp4Boxes.type(moov, hdlr.get(0).content() + 8).equals("vide")) {
				continue;
			}
			Box mdhd = Mp4Boxes.one(Mp4Boxes.find(moov, trak, "mdia", "mdhd"), "mdhd");
			boolean mdhdWide = moov.get(mdhd.content()) == 1;
			long timescale = Mp4Boxes.unsigned(moov, mdhd.content() + (mdhdWide ? 20 : 12));
			long duration = mdhdWide ? moov.getLong(mdhd.content() + 24) : Mp4Boxes.unsigned(moov, mdhd.content() + 16);
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
	 * Checks that the segments of {@code files}, in order, can be joined without encoding
	 * again: that each has the first one's format.
	 * @throws MediaFailure naming the first that differs, and how
	 */
	static void requireSameFormat(List<Path> files) {
		String first = null;
		for (int index = 0; index < files.size(); index++) {
			String format = read(files.get(index)).format();
			if (first == null) {
				first = format;
			}
			else if (!format.equals(first)) {
				throw new MediaFailure("Segment " + (index + 1) + " was made with other codec parameters (" + format
						+ ") than segment 1 (" + first + "), so they cannot be joined without encoding again:"
						+ " do the group's workers run different ffmpeg builds or settings?");
			}
		}
	}

}
