package dev.labkafka.stream.packaging;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.labkafka.stream.media.MediaFailure;
import dev.labkafka.stream.media.Mp4Boxes;
import dev.labkafka.stream.media.Mp4Boxes.Box;

/**
 * Writes a fragmented MP4's length into its header, in place. ffmpeg's HLS muxer writes
 * the {@code moov} before the fragments and leaves its durations 0 ({@code mvhd},
 * {@code tkhd}, {@code mdhd}), so a browser playing the file from its start does not know
 * how long it is. This adds up the sample durations of every fragment's {@code trun} per
 * track and writes them over those zeros (fields of a fixed size, in their version 0 or 1
 * form): no byte moves, so the playlist's byte ranges stay true.
 */
public final class FragmentedMp4Duration {

	private FragmentedMp4Duration() {
	}

	/**
	 * @throws MediaFailure when the file has no header or a box of it is damaged
	 */
	public static void write(Path mp4) throws IOException {
		try (FileChannel file = FileChannel.open(mp4, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
			write(file);
		}
		catch (IndexOutOfBoundsException ex) {
			// A box too short for the fields it must hold.
			throw new MediaFailure("The rendition's MP4 header is damaged (" + ex.getMessage() + ")");
		}
	}

	private static void write(FileChannel file) throws IOException {
		Header header = new Header();
		Mp4Boxes.topLevel(file, (type, at, size, wide) -> {
			if (type.equals("moov") || type.equals("moof")) {
				ByteBuffer box = Mp4Boxes.read(file, at, size);
				Box root = Mp4Boxes.root(type, box, wide);
				if (type.equals("moov")) {
					header.moov = box;
					header.moovAt = at;
					for (Box trex : Mp4Boxes.find(box, root, "mvex", "trex")) {
						header.defaults.put(box.getInt(trex.content() + 4),
								Mp4Boxes.unsigned(box, trex.content() + 12));
					}
					header.tracks = Mp4Boxes.find(box, root, "trak");
					header.mvhd = Mp4Boxes.one(Mp4Boxes.find(box, root, "mvhd"), "mvhd");
				}
				else {
					for (Box traf : Mp4Boxes.find(box, root, "traf")) {
						addSamples(box, traf, header.defaults, header.samples);
					}
				}
			}
		});
		if (header.moov == null || header.mvhd == null) {
			throw new MediaFailure("The rendition has no MP4 header (moov)");
		}
		writeDurations(header.moov, header.mvhd, header.tracks, header.samples);
		file.write(header.moov.clear(), header.moovAt);
	}

	/** What the walk over the file's boxes found. */
	private static final class Header {

		private @Nullable ByteBuffer moov;

		private long moovAt = -1;

		private @Nullable Box mvhd;

		private List<Box> tracks = List.of();

		private final Map<Integer, Long> samples = new HashMap<>();

		private final Map<Integer, Long> defaults = new HashMap<>();

	}

	/** Adds the durations of the samples of a {@code traf} to its track's total. */
	private static void addSamples(ByteBuffer box, Box traf, Map<Integer, Long> defaults, Map<Integer, Long> samples) {
		Box tfhd = Mp4Boxes.one(Mp4Boxes.children(box, traf), "tfhd");
		int flags = box.getInt(tfhd.content()) & 0xFFFFFF;
		int track = box.getInt(tfhd.content() + 4);
		int field = tfhd.content() + 8 + (((flags & 0x1) != 0) ? 8 : 0) + (((flags & 0x2) != 0) ? 4 : 0);
		long fallback = ((flags & 0x8) != 0) ? Mp4Boxes.unsigned(box, field) : defaults.getOrDefault(track, 0L);
		for (Box trun : Mp4Boxes.children(box, traf).stream().filter((child) -> child.type().equals("trun")).toList()) {
			int runFlags = box.getInt(trun.content()) & 0xFFFFFF;
			long count = Integer.toUnsignedLong(box.getInt(trun.content() + 4));
			long total = count * fallback;
			if ((runFlags & 0x100) != 0) {
				int sample = trun.content() + 8 + (((runFlags & 0x1) != 0) ? 4 : 0) + (((runFlags & 0x4) != 0) ? 4 : 0);
				int stride = 4 * Integer.bitCount(runFlags & 0xF00);
				total = 0;
				for (long i = 0; i < count; i++, sample += stride) {
					total += Mp4Boxes.unsigned(box, sample);
				}
			}
			samples.merge(track, total, Long::sum);
		}
	}

	/**
	 * Writes each track's total into its {@code mdhd} (media timescale) and {@code tkhd}
	 * (movie timescale), and the longest into {@code mvhd}.
	 */
	private static void writeDurations(ByteBuffer moov, Box mvhd, List<Box> tracks, Map<Integer, Long> samples) {
		boolean wide = moov.get(mvhd.content()) == 1;
		long movieScale = Mp4Boxes.unsigned(moov, mvhd.content() + (wide ? 20 : 12));
		long movie = 0;
		for (Box trak : tracks) {
			Box tkhd = Mp4Boxes.one(Mp4Boxes.children(moov, trak), "tkhd");
			Box mdhd = Mp4Boxes.one(Mp4Boxes.find(moov, trak, "mdia", "mdhd"), "mdhd");
			boolean tkhdWide = moov.get(tkhd.content()) == 1;
			boolean mdhdWide = moov.get(mdhd.content()) == 1;
			long media = samples.getOrDefault(moov.getInt(tkhd.content() + (tkhdWide ? 20 : 12)), 0L);
			long mediaScale = Mp4Boxes.unsigned(moov, mdhd.content() + (mdhdWide ? 20 : 12));
			long track = (mediaScale == 0) ? 0 : Math.round((double) media * movieScale / mediaScale);
			put(moov, mdhd.content() + (mdhdWide ? 24 : 16), mdhdWide, media);
			put(moov, tkhd.content() + (tkhdWide ? 28 : 20), tkhdWide, track);
			movie = Math.max(movie, track);
		}
		put(moov, mvhd.content() + (wide ? 24 : 16), wide, movie);
	}

	private static void put(ByteBuffer box, int at, boolean wide, long duration) {
		if (wide) {
			box.putLong(at, duration);
		}
		else {
			box.putInt(at, (int) Math.min(duration, 0xFFFFFFFFL));
		}
	}

}
