package dev.labkafka.stream.media;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the boxes of an ISO BMFF (MP4) file: the top-level ones of a file, and the
 * children of a box held in memory. What the worker reads of the MP4 files ffmpeg wrote
 * for it, without starting ffprobe.
 */
public final class Mp4Boxes {

	/** The most a box read into memory may hold. */
	public static final int MAX_READ = 64 << 20;

	private Mp4Boxes() {
	}

	/**
	 * A box: its type, its start in its buffer (or file), where its content starts, and
	 * where it ends.
	 */
	public record Box(String type, long start, int content, int end) {

		/** The same box with its content starting {@code skip} bytes later. */
		public Box skipping(int skip) {
			return new Box(this.type, this.start, this.content + skip, this.end);
		}

	}

	/** Handed each top-level box of a file, with the file still open. */
	@FunctionalInterface
	public interface TopLevel {

		/**
		 * @param at where the box starts in the file
		 * @param size its size, header included
		 * @param wide whether its size is written in 64 bits (a 16-byte header)
		 */
		void box(String type, long at, long size, boolean wide) throws IOException;

	}

	/**
	 * Hands each top-level box of {@code file} to {@code each}, in order.
	 * @throws MediaFailure when a box runs past the end of the file
	 */
	public static void topLevel(FileChannel file, TopLevel each) throws IOException {
		ByteBuffer header = ByteBuffer.allocate(16);
		long length = file.size();
		for (long at = 0; at + 8 <= length;) {
			file.read(header.clear(), at);
			long size = Integer.toUnsignedLong(header.getInt(0));
			boolean wide = size == 1;
			size = wide ? header.getLong(8) : (size == 0) ? length - at : size;
			if (size < (wide ? 16 : 8) || size > length - at) {
				throw new MediaFailure("The MP4 box at byte " + at + " is cut short");
			}
			each.box(type(header, 4), at, size, wide);
			at += size;
		}
	}

	/**
	 * The top-level box at {@code at} of {@code size} bytes, read whole.
	 * @throws MediaFailure when it is over {@link #MAX_READ} (no header ffmpeg writes for
	 * the worker comes near)
	 */
	public static ByteBuffer read(FileChannel file, long at, long size) throws IOException {
		if (size > MAX_READ) {
			throw new MediaFailure("The MP4 box at byte " + at + " is " + size + " bytes long, more than the "
					+ MAX_READ + " a header may have");
		}
		ByteBuffer box = ByteBuffer.allocate(Math.toIntExact(size));
		file.read(box, at);
		return box;
	}

	/** A top-level box read whole with {@link #read}: the box itself. */
	public static Box root(String type, ByteBuffer box, boolean wide) {
		return new Box(type, 0, wide ? 16 : 8, box.capacity());
	}

	/** The boxes at the end of {@code path}, a path of box types under {@code root}. */
	public static List<Box> find(ByteBuffer buf, Box root, String... path) {
		List<Box> level = List.of(root);
		for (String type : path) {
			level = level.stream()
				.flatMap((box) -> children(buf, box).stream())
				.filter((b) -> b.type.equals(type))
				.toList();
		}
		return level;
	}

	/** The boxes directly inside {@code parent}. */
	public static List<Box> children(ByteBuffer buf, Box parent) {
		List<Box> boxes = new ArrayList<>();
		for (int at = parent.content; at + 8 <= parent.end;) {
			int size = buf.getInt(at);
			if (size < 8 || size > parent.end - at) {
				throw new MediaFailure("The MP4 header has a box cut short at byte " + at);
			}
			boxes.add(new Box(type(buf, at + 4), at, at + 8, at + size));
			at += size;
		}
		return boxes;
	}

	/**
	 * Where the field {@code offset} bytes into the content of {@code box} starts, once
	 * it is known to be inside the box.
	 * @throws MediaFailure when the box is too short to hold it
	 */
	public static int field(Box box, int offset, int length) {
		if (offset + length > box.end - box.content) {
			throw new MediaFailure(
					"The MP4 box " + box.type + " at byte " + box.start + " is too short for its fields");
		}
		return box.content + offset;
	}

	/** The first of {@code boxes} of this type. */
	public static Box one(List<Box> boxes, String type) {
		return boxes.stream()
			.filter((box) -> box.type.equals(type))
			.findFirst()
			.orElseThrow(() -> new MediaFailure("The MP4 header has no " + type));
	}

	/** A four-character code at {@code at}. */
	public static String type(ByteBuffer buf, int at) {
		return new String(buf.array(), at, 4, StandardCharsets.ISO_8859_1);
	}

	/** An unsigned 32-bit field at {@code at}. */
	public static long unsigned(ByteBuffer buf, int at) {
		return Integer.toUnsignedLong(buf.getInt(at));
	}

}
