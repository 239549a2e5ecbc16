package dev.labkafka.api.video;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * A video as the original gateway's JSON shows it; the name it was uploaded under; the
 * {@code error} that made it fail, if it did; where its poster frame is, once there is
 * one; and what its renditions really are, when ffmpeg made them. The answers of the REST
 * endpoints and the data of the live events.
 */
record VideoResponse(String id, int width, int height, long size, double duration, String url, String status,
		Map<String, String> variants, @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String error,
		Instant createdAt, Instant updatedAt, @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String filename,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String thumbnail,
		@JsonInclude(JsonInclude.Include.NON_EMPTY) @Nullable Map<String, Video.Rendition> renditions) {

	static VideoResponse of(Video video, VideoApiSettings settings) {
		String id = video.id().toHexString();
		return new VideoResponse(id, video.width(), video.height(), video.size(), video.duration(), video.url(),
				video.status(), video.variants(), video.error(), video.createdAt(), video.updatedAt(), video.filename(),
				video.hasThumbnail() ? settings.thumbnailUrl(id) : null, video.renditions());
	}

}
