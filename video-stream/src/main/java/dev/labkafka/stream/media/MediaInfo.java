package dev.labkafka.stream.media;

import org.jspecify.annotations.Nullable;

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
 */
public record MediaInfo(int width, int height, double duration, boolean audio, @Nullable String videoCodec,
		@Nullable String audioCodec, int audioChannels, double frameRate, double videoStart, boolean indexed) {

	/** What a file holds, starting at 0 in a container with an index of its frames. */
	public MediaInfo(int width, int height, double duration, boolean audio, @Nullable String videoCodec,
			@Nullable String audioCodec, int audioChannels, double frameRate) {
		this(width, height, duration, audio, videoCodec, audioCodec, audioChannels, frameRate, 0, true);
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

}
