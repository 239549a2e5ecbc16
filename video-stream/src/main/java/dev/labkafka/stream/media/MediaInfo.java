package dev.labkafka.stream.media;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What ffprobe found in a video file: the size of its picture as it is shown (a phone's
 * portrait video, stored landscape with a rotation, is taller than wide here), its
 * length, and what its streams are, in the terms an HLS playlist names them.
 *
 * @param width pixels
 * @param height pixels
 * @param duration seconds, fractional; 0 when the file does not say
 * @param audio whether it has a sound track
 * @param videoCodec the picture's RFC 6381 codec ({@code avc1.64001f} for H.264 High
 * 3.1), read from its decoder configuration; null when it is not H.264 in MP4
 * @param audioCodec the first sound track's RFC 6381 codec when it is AAC-LC
 * ({@code mp4a.40.2}); null when there is none or it is anything else
 * @param audioChannels the first sound track's channels, 0 without sound
 * @param frameRate the picture's average frames per second, 0 when the file does not say
 * @param videoStart the timestamp of the picture's first frame, in seconds (not 0 in
 * MPEG-TS, for one)
 * @param indexed whether the container indexes its keyframes, so that a seek lands
 * exactly on the keyframe before a time
 * @param audioStart the timestamp of the first sound track's start, in seconds
 * @param steadyFrameRate whether the picture's frames come at a steady rate: its average
 * rate within 1% of its base rate (a phone that drops a frame now and then still is)
 */
public record MediaInfo(int width, int height, double duration, boolean audio, @Nullable String videoCodec,
		@Nullable String audioCodec, int audioChannels, double frameRate, double videoStart, boolean indexed,
		double audioStart, boolean steadyFrameRate) {

	/** What a file holds, starting at 0 in a container with an index of its frames. */
	public MediaInfo(int width, int height, double duration, boolean audio, @Nullable String videoCodec,
			@Nullable String audioCodec, int audioChannels, double frameRate) {
		this(width, height, duration, audio, videoCodec, audioCodec, audioChannels, frameRate, 0, true, 0, true);
	}

	/** The codec of AAC-LC sound, as RFC 6381 and HLS name it. */
	public static final String AAC_LC = "mp4a.40.2";

	/**
	 * Whether the sound can be copied as it is into a rendition that every HLS player and
	 * browser plays: AAC-LC in at most two channels (what phones record).
	 */
	public boolean audioCopyable() {
		return AAC_LC.equals(this.audioCodec) && this.audioChannels <= 2;
	}

	/**
	 * The file's codecs as an HLS {@code CODECS} attribute: the picture's, then the
	 * sound's when it is AAC-LC; null when the picture's is not known.
	 */
	public @Nullable String codecs() {
		if (this.videoCodec == null) {
			return null;
		}
		return (this.audioCodec != null) ? this.videoCodec + "," + this.audioCodec : this.videoCodec;
	}

	/**
	 * What ffprobe's JSON ({@code -show_format -show_streams -show_data}) says of a file.
	 * @throws MediaFailure when it has no picture
	 */
	static MediaInfo read(JsonNode probed) {
		JsonNode video = null;
		JsonNode audio = null;
		for (JsonNode stream : probed.path("streams")) {
			String type = stream.path("codec_type").asString("");
			if (type.equals("video") && video == null && stream.path("width").asInt(0) > 0
					&& !stream.path("disposition").path("attached_pic").asBoolean(false)) {
				video = stream;
			}
			if (type.equals("audio") && audio == null) {
				audio = stream;
			}
		}
		if (video == null) {
			throw new MediaFailure("ffprobe found no picture in the file");
		}
		int width = video.path("width").asInt();
		int height = video.path("height").asInt();
		if (Math.abs(rotation(video)) % 180 == 90) {
			int swap = width;
			width = height;
			height = swap;
		}
		double duration = probed.path("format").path("duration").asDouble(video.path("duration").asDouble(0));
		boolean aacLc = audio != null && audio.path("codec_name").asString("").equals("aac")
				&& audio.path("profile").asString("").equals("LC");
		return new MediaInfo(width, height, duration, audio != null, avc(video), aacLc ? MediaInfo.AAC_LC : null,
				(audio != null) ? audio.path("channels").asInt(0) : 0,
				frameRate(video.path("avg_frame_rate").asString("")), video.path("start_time").asDouble(0),
				indexed(probed.path("format").path("format_name").asString("")),
				(audio != null) ? audio.path("start_time").asDouble(0) : 0, steady(video));
	}

	/**
	 * The RFC 6381 codec of an H.264 stream in MP4, {@code avc1.PPCCLL}: the profile,
	 * constraint flags and level bytes of its decoder configuration (avcC), which ffprobe
	 * shows as a hex dump ({@code -show_data}); null for anything else.
	 */
	static @Nullable String avc(JsonNode video) {
		if (!video.path("codec_name").asString("").equals("h264")) {
			return null;
		}
		// "\n00000000: 0164 001f ffe1 ...": configuration version 1, then the three
		// bytes.
		Matcher dump = AVC_CONFIGURATION.matcher(video.path("extradata").asString(""));
		return dump.find() ? "avc1." + (dump.group(1) + dump.group(2)).toLowerCase(Locale.ROOT) : null;
	}

	private static final Pattern AVC_CONFIGURATION = Pattern.compile("00000000: 01(\\p{XDigit}{2}) (\\p{XDigit}{4})");

	/**
	 * Whether a container keeps an index of its keyframes, so that ffmpeg seeks exactly
	 * to the keyframe before a time (MP4 and QuickTime, Matroska and WebM); in others
	 * (MPEG-TS, for one) a seek lands only near it.
	 */
	static boolean indexed(String formatName) {
		return formatName.contains("mp4") || formatName.contains("mov") || formatName.contains("matroska")
				|| formatName.contains("webm");
	}

	/**
	 * Whether the average frame rate is within 1% of the base rate: a stream whose frames
	 * come at a varying rate has an average well apart from its base.
	 */
	private static boolean steady(JsonNode video) {
		double average = frameRate(video.path("avg_frame_rate").asString(""));
		double base = frameRate(video.path("r_frame_rate").asString(""));
		return average > 0 && base > 0 && Math.abs(average / base - 1) < 0.01;
	}

	/** Frames per second from ffprobe's {@code 30000/1001}, to the thousandth. */
	static double frameRate(String fraction) {
		String[] parts = fraction.split("/");
		try {
			double rate = (parts.length == 2) ? Double.parseDouble(parts[0]) / Double.parseDouble(parts[1])
					: Double.parseDouble(fraction);
			return Double.isFinite(rate) ? Math.round(rate * 1000) / 1000.0 : 0;
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	/** Degrees the picture is turned when shown: a display matrix, or the old tag. */
	private static int rotation(JsonNode video) {
		for (JsonNode side : video.path("side_data_list")) {
			if (side.has("rotation")) {
				return side.path("rotation").asInt(0);
			}
		}
		return video.path("tags").path("rotate").asInt(0);
	}

}
