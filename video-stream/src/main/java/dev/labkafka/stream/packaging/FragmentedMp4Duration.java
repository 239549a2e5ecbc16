package dev.labkafka.stream.packaging;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.labkafka.stream.media.MediaFailure;

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

	/** An ISO BMFF box: its type, where its content starts, where it ends. */
	private record Box(String type, int content, int end) {
	}

	public static void write(Path mp4) throws IOException {
		try (FileChannel file = FileChannel.open(mp4, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
			ByteBuffer moov = null;
			long moovAt = -1;
			Box mvhd = null;
			List<Box> tracks = List.of();
			Map<Integer, Long> samples = new HashMap<>();
			Map<Integer, Long> defaults = new HashMap<>();
			ByteBuffer header = ByteBuffer.allocate(16);
			for (long at = 0; at + 8 <= file.size();) {
				file.read(header.clear(), at);
				long size = Integer.toUnsignedLong(header.getInt(0));
				size = (size == 1) ? header.getLong(8) : (size == 0) ? file.size() - at : size;
				String type = type(header, 4);
				if (size < 8 || at + size > file.size()) {
					throw new MediaFailure("The rendition's MP4 box at byte " + at + " is cut short");
				}
				if (type.equals("moov") || type.equals("moof")) {
					ByteBuffer box = ByteBuffer.allocate(Math.toIntExact(size));
					file.read(box, at);
					Box root = new Box(type, (header.getInt(0) == 1) ? 16 : 8, box.capacity());
					if (type.equals("moov")) {
						moov = box;
						moovAt = at;
						for (Box trex : find(box, root, "mvex", "trex")) {
							defaults.put(box.getInt(trex.content + 4), unsigned(box, trex.content + 12));
						}
						tracks = find(box, root, "trak");
						mvhd = one(find(box, root, "mvhd"), "mvhd");
					}
					else {
						for (Box traf : find(box, root, "traf")) {
							addSamples(box, traf, defaults, samples);
						}
					}
				}
				at += size;
			}
			if (moov == null || mvhd == null) {
				throw new MediaFailure("The rendition has no MP4 header (moov)");
			}
			writeDurations(moov, mvhd, tracks, samples);
			file.write(moov.clear(), moovAt);
		}
	}

	/** Adds the durations of the samples of a {@code traf} to its track's total. */
	private static void addSamples(ByteBuffer box, Box traf, Map<Integer, Long> defaults, Map<Integer, Long> samples) {
		Box tfhd = one(children(box, traf), "tfhd");
		int flags = box.getInt(tfhd.content) & 0xFFFFFF;
		int track = box.getInt(tfhd.content + 4);
		int field = tfhd.content + 8 + (((flags & 0x1) != 0) ? 8 : 0) + (((flags & 0x2) != 0) ? 4 : 0);
		long fallback = ((flags & 0x8) != 0) ? unsigned(box, field) : defaults.getOrDefault(track, 0L);
		for (Box trun : children(box, traf).stream().filter((child) -> child.type.equals("trun")).toList()) {
			int runFlags = box.getInt(trun.content) & 0xFFFFFF;
			long count = Integer.toUnsignedLong(box.getInt(trun.content + 4));
			long total = count * fallback;
			if ((runFlags & 0x100) != 0) {
				int sample = trun.content + 8 + (((runFlags & 0x1) != 0) ? 4 : 0) + (((runFlags & 0x4) != 0) ? 4 : 0);
				int stride = 4 * Integer.bitCount(runFlags & 0xF00);
				total = 0;
				for (long i = 0; i < count; i++, sample += stride) {
					total += unsigned(box, sample);
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
		boolean wide = moov.get(mvhd.content) == 1;
		long movieScale = unsigned(moov, mvhd.content + (wide ? 20 : 12));
		long movie = 0;
		for (Box trak : tracks) {
			Box tkhd = one(children(moov, trak), "tkhd");
			Box mdhd = one(find(moov, trak, "mdia", "mdhd"), "mdhd");
			boolean tkhdWide = moov.get(tkhd.content) == 1;
			boolean mdhdWide = moov.get(mdhd.content) == 1;
			long media = samples.getOrDefault(moov.getInt(tkhd.content + (tkhdWide ? 20 : 12)), 0L);
			long mediaScale = unsigned(moov, mdhd.content + (mdhdWide ? 20 : 12));
			long track = (mediaScale == 0) ? 0 : Math.round((double) media * movieScale / mediaScale);
			put(moov, mdhd.content + (mdhdWide ? 24 : 16), mdhdWide, media);
			put(moov, tkhd.content + (tkhdWide ? 28 : 20), tkhdWide, track);
			movie = Math.max(movie, track);
		}
		put(moov, mvhd.content + (wide ? 24 : 16), wide, movie);
	}

	private static void put(ByteBuffer box, int at, boolean wide, long duration) {
		if (wide) {
			box.putLong(at, duration);
		}
		else {
			box.putInt(at, (int) Math.min(duration, 0xFFFFFFFFL));
		}
	}

	/** The boxes at the end of {@code path}, a path of box types under {@code root}. */
	private static List<Box> find(ByteBuffer buf, Box root, String... path) {
		List<Box> level = List.of(root);
		for (String type : path) {
			level = level.stream()
				.flatMap((box) -> children(buf, box).stream())
				.filter((b) -> b.type.equals(type))
				.toList();
		}
		return level;
	}

	private static List<Box> children(ByteBuffer buf, Box parent) {
		List<Box> boxes = new ArrayList<>();
		for (int at = parent.content; at + 8 <= parent.end;) {
			int size = buf.getInt(at);
			if (size < 8 || at + size > parent.end) {
				throw new MediaFailure("The rendition's MP4 header has a box cut short at byte " + at);
			}
			boxes.add(new Box(type(buf, at + 4), at + 8, at + size));
			at += size;
		}
		return boxes;
	}

	private static String type(ByteBuffer buf, int at) {
		return new String(buf.array(), at, 4, StandardCharsets.ISO_8859_1);
	}

	private static long unsigned(ByteBuffer buf, int at) {
		return Integer.toUnsignedLong(buf.getInt(at));
	}

	private static Box one(List<Box> boxes, String type) {
		return boxes.stream()
			.filter((box) -> box.type.equals(type))
			.findFirst()
			.orElseThrow(() -> new MediaFailure("The rendition's MP4 header has no " + type));
	}

}
