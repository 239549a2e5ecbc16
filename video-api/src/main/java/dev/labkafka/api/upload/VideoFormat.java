package dev.labkafka.api.upload;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The video container formats the API accepts, recognised by their first bytes: the name
 * and the declared type of an upload are the client's word, the bytes are not.
 */
public enum VideoFormat {

	/** ISO base media: MP4, M4V, 3GP ({@code ftyp} box first). */
	MP4("video/mp4"),

	/**
	 * QuickTime ({@code ftypqt}, or an older file that starts with a {@code moov},
	 * {@code mdat} or {@code wide} atom).
	 */
	QUICKTIME("video/quicktime"),

	/** Matroska and WebM (an EBML header). */
	MATROSKA("video/x-matroska"),

	/** WebM: Matroska with the {@code webm} doc type. */
	WEBM("video/webm"),

	/** AVI ({@code RIFF....AVI }). */
	AVI("video/x-msvideo"),

	/** MPEG transport stream (sync byte 0x47 every 188 bytes). */
	MPEG_TS("video/mp2t"),

	/** MPEG program stream (pack header 00 00 01 BA). */
	MPEG_PS("video/mpeg"),

	/** Flash video. */
	FLV("video/x-flv"),

	/** ASF / WMV. */
	ASF("video/x-ms-asf");

	/** How many bytes {@link #detect} needs to see. */
	public static final int HEADER_LENGTH = 2 * 188 + 1;

	private static final byte[] ASF_GUID = { 0x30, 0x26, (byte) 0xB2, 0x75, (byte) 0x8E, 0x66, (byte) 0xCF, 0x11 };

	private final String contentType;

	VideoFormat(String contentType) {
		this.contentType = contentType;
	}

	public String contentType() {
		return this.contentType;
	}

	/**
	 * Reads the start of {@code in} and puts it back: the stream must support
	 * {@link InputStream#mark(int) mark}.
	 */
	public static Optional<VideoFormat> sniff(InputStream in) throws IOException {
		in.mark(HEADER_LENGTH);
		byte[] header = in.readNBytes(HEADER_LENGTH);
		in.reset();
		return detect(header);
	}

	/**
	 * The format whose signature {@code header} (the first bytes of a file) starts with.
	 */
	public static Optional<VideoFormat> detect(byte[] header) {
		if (header.length >= 12 && ascii(header, 4, 4).equals("ftyp")) {
			return Optional.of(ascii(header, 8, 4).equals("qt  ") ? QUICKTIME : MP4);
		}
		if (header.length >= 8 && atomSize(header) >= 8
				&& Arrays.asList("moov", "mdat", "wide").contains(ascii(header, 4, 4))) {
			return Optional.of(QUICKTIME);
		}
		if (startsWith(header, 0x1A, 0x45, 0xDF, 0xA3)) {
			return Optional.of(contains(header, "webm") ? WEBM : MATROSKA);
		}
		if (header.length >= 12 && ascii(header, 0, 4).equals("RIFF") && ascii(header, 8, 4).equals("AVI ")) {
			return Optional.of(AVI);
		}
		if (header.length > 2 * 188 && header[0] == 0x47 && header[188] == 0x47 && header[2 * 188] == 0x47) {
			return Optional.of(MPEG_TS);
		}
		if (startsWith(header, 0x00, 0x00, 0x01, 0xBA)) {
			return Optional.of(MPEG_PS);
		}
		if (startsWith(header, 'F', 'L', 'V', 0x01)) {
			return Optional.of(FLV);
		}
		if (header.length >= ASF_GUID.length
				&& Arrays.equals(header, 0, ASF_GUID.length, ASF_GUID, 0, ASF_GUID.length)) {
			return Optional.of(ASF);
		}
		return Optional.empty();
	}

	private static long atomSize(byte[] header) {
		return ((header[0] & 0xFFL) << 24) | ((header[1] & 0xFF) << 16) | ((header[2] & 0xFF) << 8)
				| (header[3] & 0xFF);
	}

	private static String ascii(byte[] bytes, int offset, int length) {
		return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
	}

	private static boolean startsWith(byte[] bytes, int... prefix) {
		if (bytes.length < prefix.length) {
			return false;
		}
		for (int i = 0; i < prefix.length; i++) {
			if ((bytes[i] & 0xFF) != prefix[i]) {
				return false;
			}
		}
		return true;
	}

	private static boolean contains(byte[] bytes, String text) {
		return new String(bytes, StandardCharsets.ISO_8859_1).contains(text);
	}

}
