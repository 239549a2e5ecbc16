package dev.labkafka.api.catalog;

import java.time.Instant;
import java.util.Map;
import java.util.LinkedHashMap;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import dev.labkafka.api.VideoApiSettings;
import dev.labkafka.videos.Rendition;
import dev.labkafka.videos.SegmentProgress;
import dev.labkafka.videos.Video;
import dev.labkafka.videos.VideoStatus;
import org.jspecify.annotations.Nullable;

/**
 * A video as the original gateway's JSON shows it; the name it was uploaded under; the
 * {@code error} that made it fail, if it did; where its poster frame is, once there is
 * one; what its renditions really are, when ffmpeg made them; and where its HLS master
 * playlist is, once it has a level ({@code null} before, and always for the mock); and,
 * for each rendition the worker cut into segments (a long video), how many of its
 * segments are stored out of those planned (absent for a video whose renditions are
 * encoded whole). The answers of the REST endpoints and the data of the live events.
 */
public record VideoResponse(String id, int width, int height, long size, double duration, @Nullable String url,
		@Nullable VideoStatus status, Map<String, String> variants,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String error, @Nullable Instant createdAt,
		@Nullable Instant updatedAt, @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String filename,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String thumbnail,
		@JsonInclude(JsonInclude.Include.NON_EMPTY) @Nullable Map<String, Rendition> renditions,
		@JsonInclude(JsonInclude.Include.ALWAYS) @Nullable String hls,
		@Schema(description = "For each rendition cut into segments (a long video), by scale: its segments "
				+ "stored out of those planned; absent when every rendition is encoded whole",
				example = "{\"1080\": {\"planned\": 18, \"done\": 7, \"percent\": 38}}") @JsonInclude(JsonInclude.Include.NON_EMPTY) @Nullable Map<String, Segments> segments) {

	public static VideoResponse of(Video video, VideoApiSettings settings) {
		String id = video.id().toHexString();
		return new VideoResponse(id, orZero(video.width()), orZero(video.height()),
				(video.size() != null) ? video.size() : 0, (video.duration() != null) ? video.duration() : 0,
				video.url(), video.status(), video.doneVariants(), video.error(), video.createdAt(), video.updatedAt(),
				video.filename(), video.hasThumbnail() ? settings.thumbnailUrl(id) : null, video.renditions(),
				StreamedRenditions.any(video) ? settings.hlsUrl(id) : null, segments(video));
	}

	/** The progress of each rendition cut into segments, by scale, or {@code null}. */
	private static @Nullable Map<String, Segments> segments(Video video) {
		Map<String, SegmentProgress> progress = video.segmentProgress();
		if (progress.isEmpty()) {
			return null;
		}
		Map<String, Segments> segments = new LinkedHashMap<>();
		progress.forEach((scale, rendition) -> {
			if (rendition != null) {
				segments.put(scale, Segments.of(rendition));
			}
		});
		return segments.isEmpty() ? null : segments;
	}

	private static int orZero(@Nullable Integer value) {
		return (value != null) ? value : 0;
	}

	/**
	 * How far a rendition cut into segments is.
	 *
	 * @param planned how many segments it is cut into
	 * @param done how many of them are stored
	 * @param percent {@code done} out of {@code planned}, as a whole percentage (rounded
	 * down)
	 */
	@Schema(name = "SegmentProgress",
			description = "A rendition cut into segments: its segments stored out of those planned")
	public record Segments(int planned, int done, int percent) {

		static Segments of(SegmentProgress progress) {
			return new Segments(progress.planned(), progress.doneCount(), progress.percent());
		}

	}

}
