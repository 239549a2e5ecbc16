package dev.labkafka.videos;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

import org.springframework.data.mongodb.core.mapping.Field;

/**
 * One rendition as the ffmpeg transcoder made it, in the video's
 * {@link VideoFields#RENDITIONS}: a file of its own, so big and so long, or the same file
 * as a smaller scale, because the original is not taller. The mock transcoder makes none.
 *
 * @param encoded whether a file was encoded for this scale
 * @param width of the file, when encoded
 * @param height of the file, when encoded
 * @param duration of the file in seconds, when encoded
 * @param sameAs the scale whose file this one is, when not encoded
 * @param bandwidth the peak bit rate of its HLS segments (bits/s), when it can be
 * streamed
 * @param averageBandwidth its average bit rate (bits/s), when it can be streamed
 * @param codecs its RFC 6381 codecs, when it can be streamed
 * @param frameRate its frames per second, when it can be streamed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Rendition(@Field(VideoFields.ENCODED) @Nullable Boolean encoded, @Nullable Integer width,
		@Nullable Integer height, @Nullable Double duration, @Field(VideoFields.SAME_AS) @Nullable Integer sameAs,
		@Nullable Long bandwidth, @Field(VideoFields.AVERAGE_BANDWIDTH) @Nullable Long averageBandwidth,
		@Nullable String codecs, @Field(VideoFields.FRAME_RATE) @Nullable Double frameRate) {

	/** A file encoded for its scale, which is not streamed (HLS) as well. */
	public static Rendition encoded(int width, int height, double duration) {
		return new Rendition(true, width, height, duration, null, null, null, null, null);
	}

	/**
	 * A file encoded for its scale that is streamed too: its media playlist is stored
	 * with it ({@link StoredMedia#PLAYLIST_METADATA}).
	 */
	public static Rendition streamed(int width, int height, double duration, long bandwidth, long averageBandwidth,
			String codecs, double frameRate) {
		return new Rendition(true, width, height, duration, null, bandwidth, averageBandwidth, codecs, frameRate);
	}

	/** No file of its own: the rendition is the file of the smaller {@code scale}. */
	public static Rendition sameAs(int scale) {
		return new Rendition(false, null, null, null, scale, null, null, null, null);
	}

	/**
	 * Whether this rendition has a file of its own with a media playlist: an HLS level.
	 */
	public boolean isStreamed() {
		return Boolean.TRUE.equals(this.encoded) && this.bandwidth != null && this.codecs != null;
	}

}
