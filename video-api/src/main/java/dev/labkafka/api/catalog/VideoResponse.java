package dev.labkafka.api.catalog;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.labkafka.api.VideoApiSettings;
import dev.labkafka.videos.Rendition;
import dev.labkafka.videos.Video;
import dev.labkafka.videos.VideoStatus;
import org.jspecify.annotations.Nullable;

/**
 * A video as the original gateway's JSON shows it; the name it was uploaded under; the
 * {@code error} that made it fail, if it did; where its poster frame is, once there is
 * one; what its renditions really are, when ffmpeg made them; and where its HLS master
 * playlist is, once it has a level ({@code null} before, and always for the mock). The
 * answers of the REST endpoints and the data of the live events.
 */
public record VideoResponse(String id, int width, int height, long size, double duration, @Nullable String url,
		@Nullable VideoStatus status, Map<String, String> variants,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String error, @Nullable Instant createdAt,
		@Nullable Instant updatedAt, @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String filename,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String thumbnail,
		@JsonInclude(JsonInclude.Include.NON_EMPTY) @Nullable Map<String, Rendition> renditions,
		@JsonInclude(JsonInclude.Include.ALWAYS) @Nullable String hls) {

	public static VideoResponse of(Video video, VideoApiSettings settings) {
		String id = video.id().toHexString();
		return new VideoResponse(id, orZero(video.width()), orZero(video.height()),
				(video.size() != null) ? video.size() : 0, (video.duration() != null) ? video.duration() : 0,
				video.url(), video.status(), video.doneVariants(), video.error(), video.createdAt(), video.updatedAt(),
				video.filename(), video.hasThumbnail() ? settings.thumbnailUrl(id) : null, video.renditions(),
				StreamedRenditions.any(video) ? settings.hlsUrl(id) : null);
	}

	private static int orZero(@Nullable Integer value) {
		return (value != null) ? value : 0;
	}

}
