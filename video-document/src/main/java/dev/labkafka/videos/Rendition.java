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
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Rendition(@Field(VideoFields.ENCODED) @Nullable Boolean encoded, @Nullable Integer width,
		@Nullable Integer height, @Nullable Double duration, @Field(VideoFields.SAME_AS) @Nullable Integer sameAs) {

	/** A file encoded for its scale. */
	public static Rendition encoded(int width, int height, double duration) {
		return new Rendition(true, width, height, duration, null);
	}

	/** No file of its own: the rendition is the file of the smaller {@code scale}. */
	public static Rendition sameAs(int scale) {
		return new Rendition(false, null, null, null, scale);
	}

}
