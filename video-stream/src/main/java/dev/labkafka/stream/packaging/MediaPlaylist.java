package dev.labkafka.stream.packaging;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.labkafka.stream.media.MediaFailure;

/**
 * The HLS media playlist ffmpeg wrote for a rendition (RFC 8216): one fragmented MP4
 * file, an {@code EXT-X-MAP} byte range for its init segment and an
 * {@code EXT-X-BYTERANGE} per segment. Read to tell the master playlist what the
 * rendition needs ({@code BANDWIDTH}, {@code AVERAGE-BANDWIDTH}), and given the URI the
 * API serves the file at.
 *
 * @param text the playlist
 * @param segments each media segment's duration and size, in order
 */
public record MediaPlaylist(String text, List<Segment> segments) {

	private static final Pattern EXTINF = Pattern.compile("^#EXTINF:([0-9.]+)");

	private static final Pattern BYTERANGE = Pattern.compile("^#EXT-X-BYTERANGE:(\\d+)(@\\d+)?");

	private static final Pattern TARGET = Pattern.compile("^#EXT-X-TARGETDURATION:(\\d+)", Pattern.MULTILINE);

	private static final Pattern MAP_URI = Pattern.compile("^(#EXT-X-MAP:.*URI=\")[^\"]*(\".*)$");

	/**
	 * A media segment.
	 *
	 * @param seconds its {@code EXTINF} duration
	 * @param bytes the length of its byte range
	 */
	public record Segment(double seconds, long bytes) {
	}

	/**
	 * Reads a playlist of byte-range segments.
	 * @throws MediaFailure when it is not one: a segment without a duration or a byte
	 * range, or no segment at all
	 */
	public static MediaPlaylist read(String text) {
		List<Segment> segments = new ArrayList<>();
		Double seconds = null;
		Long bytes = null;
		for (String line : text.split("\\R")) {
			Matcher extinf = EXTINF.matcher(line);
			Matcher range = BYTERANGE.matcher(line);
			if (extinf.find()) {
				seconds = Double.valueOf(extinf.group(1));
			}
			else if (range.find()) {
				bytes = Long.valueOf(range.group(1));
			}
			else if (!line.isBlank() && !line.startsWith("#")) {
				if (seconds == null || bytes == null) {
					throw new MediaFailure("A segment without #EXTINF or #EXT-X-BYTERANGE: " + line);
				}
				segments.add(new Segment(seconds, bytes));
				seconds = null;
				bytes = null;
			}
		}
		if (segments.isEmpty()) {
			throw new MediaFailure("No segment in the playlist");
		}
		return new MediaPlaylist(text, List.copyOf(segments));
	}

	/**
	 * The playlist with every segment's URI, and the init segment's, set to {@code uri}.
	 */
	public MediaPlaylist withUri(String uri) {
		List<String> lines = new ArrayList<>();
		for (String line : this.text.split("\\R")) {
			Matcher map = MAP_URI.matcher(line);
			if (map.matches()) {
				lines.add(map.group(1) + uri + map.group(2));
			}
			else {
				lines.add((line.isBlank() || line.startsWith("#")) ? line : uri);
			}
		}
		return new MediaPlaylist(String.join("\n", lines) + "\n", this.segments);
	}

	/** The sum of the segments' durations, in seconds. */
	public double seconds() {
		return this.segments.stream().mapToDouble(Segment::seconds).sum();
	}

	/**
	 * {@code AVERAGE-BANDWIDTH}: the average segment bit rate, all the segments' bits
	 * over their duration (RFC 8216, 4.3.4.2), in bits/s, rounded up.
	 */
	public long averageBandwidth() {
		long bytes = this.segments.stream().mapToLong(Segment::bytes).sum();
		return (long) Math.ceil(bytes * 8 / seconds());
	}

	/**
	 * {@code BANDWIDTH}: the peak segment bit rate (RFC 8216, 4.3.4.2), in bits/s,
	 * rounded up: the highest bit rate of any run of consecutive segments lasting between
	 * half and one and a half target durations (with two-second segments, each whole
	 * segment, and a short last one together with the one before); the highest single
	 * segment's when no run is that long (a clip under a second).
	 */
	public long bandwidth() {
		double target = targetDuration();
		double peak = 0;
		for (int first = 0; first < this.segments.size(); first++) {
			double seconds = 0;
			long bytes = 0;
			for (int last = first; last < this.segments.size() && seconds <= 1.5 * target; last++) {
				seconds += this.segments.get(last).seconds();
				bytes += this.segments.get(last).bytes();
				if (seconds >= 0.5 * target && seconds <= 1.5 * target) {
					peak = Math.max(peak, bytes * 8 / seconds);
				}
			}
		}
		if (peak == 0) {
			peak = this.segments.stream()
				.mapToDouble((segment) -> segment.bytes() * 8 / segment.seconds())
				.max()
				.orElse(0);
		}
		return (long) Math.ceil(peak);
	}

	private double targetDuration() {
		Matcher target = TARGET.matcher(this.text);
		return target.find() ? Double.parseDouble(target.group(1))
				: this.segments.stream().mapToDouble(Segment::seconds).max().orElse(1);
	}

}
