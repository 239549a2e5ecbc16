package dev.labkafka.videos;

import java.time.Instant;
import java.util.Map;

import dev.labkafka.messages.VideoMessage;
import org.bson.types.ObjectId;
import org.jspecify.annotations.Nullable;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.index.CompoundIndex;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.Field;

/**
 * A video as the {@code videos} collection stores it: the one definition both services
 * read and change, with the field names of {@link VideoFields} (the original lab's, for
 * the fields it had). The API writes the upload's fields and the outbox's; the worker
 * updates the pipeline's fields in place, one atomic update at a time. The status is
 * stored as its lower-case word ({@link VideoDocuments}' converters).
 *
 * Every field but the id may be missing from a document (one written by hand, or by an
 * older version): it is then {@code null} here.
 *
 * @param id also the id of the video's bytes in GridFS
 * @param width of the picture as shown, once the worker probed it
 * @param height likewise
 * @param size of the original, in bytes
 * @param duration of the original, in seconds
 * @param url where clients fetch the original's bytes
 * @param status where the video is in the pipeline
 * @param variants rendition scale (as a string) to the url of that rendition
 * @param error why the pipeline gave up on the video, when {@code status} is
 * {@code failed}
 * @param filename the client's file name, cleaned; kept for people, never used as a path
 * @param contentType the container format found in the bytes
 * @param announceAt present while the video's {@code scale = 0} message is not yet known
 * to be on Kafka: the outbox. The relay sends it when this time has passed.
 * @param announcement where Kafka put the last announcement
 * @param fanOut which uploads-topic record fanned the video out
 * @param renditionsQueued where the video's rendition messages are, by scale
 * @param thumbnail whether the worker stored the video's poster frame
 * @param renditions what each rendition really is, by scale, when ffmpeg made them
 * @param notMedia whether the worker found that the original is not media it can read
 * @param probe how the worker's probe of the original ended, if it did
 * @param segments the progress of each rendition cut into segments, by scale
 * @param sound where the shared sound of a video cut into segments is
 */
@Document(VideoFields.COLLECTION)
@CompoundIndex(name = "stuck", def = "{'" + VideoFields.STATUS + "': 1, '" + VideoFields.UPDATED_AT + "': 1}")
public record Video(@Id ObjectId id, @Nullable Integer width, @Nullable Integer height, @Nullable Long size,
		@Nullable Double duration, @Nullable String url, @Nullable VideoStatus status,
		@Nullable Map<String, String> variants, @Nullable String error,
		@Indexed @Field(VideoFields.CREATED_AT) @Nullable Instant createdAt,
		@Indexed @Field(VideoFields.UPDATED_AT) @Nullable Instant updatedAt, @Nullable String filename,
		@Field(VideoFields.CONTENT_TYPE) @Nullable String contentType,
		@Indexed(sparse = true) @Field(VideoFields.ANNOUNCE_AT) @Nullable Instant announceAt,
		@Field(VideoFields.ANNOUNCEMENT) @Nullable QueuedRecord announcement,
		@Field(VideoFields.FAN_OUT) @Nullable String fanOut,
		@Field(VideoFields.RENDITIONS_QUEUED) @Nullable Map<String, QueuedRecord> renditionsQueued,
		@Field(VideoFields.THUMBNAIL) @Nullable Boolean thumbnail,
		@Field(VideoFields.RENDITIONS) @Nullable Map<String, Rendition> renditions,
		@Field(VideoFields.NOT_MEDIA) @Nullable Boolean notMedia, @Field(VideoFields.PROBE) @Nullable String probe,
		@Field(VideoFields.SEGMENTS) @Nullable Map<String, SegmentProgress> segments,
		@Field(VideoFields.SOUND) @Nullable String sound) {

	/**
	 * A video whose bytes are stored and whose renditions are yet to come. Its
	 * announcement is due at {@code announceAt}.
	 */
	public static Video uploaded(ObjectId id, long size, String url, Instant now, String filename, String contentType,
			Instant announceAt) {
		return new Video(id, 0, 0, size, 0.0, url, VideoStatus.UPLOADED, Map.of(), null, now, now, filename,
				contentType, announceAt, null, null, null, null, null, null, null, null, null);
	}

	/** The renditions done, by scale (as a string): never {@code null}. */
	public Map<String, String> doneVariants() {
		return (this.variants != null) ? this.variants : Map.of();
	}

	/** Whether every rendition scale has its variant. */
	public boolean hasEveryVariant() {
		Map<String, String> done = doneVariants();
		return VideoMessage.RENDITION_SCALES.stream().allMatch((scale) -> done.containsKey(scale.toString()));
	}

	/** The progress of the renditions cut into segments, by scale: never {@code null}. */
	public Map<String, SegmentProgress> segmentProgress() {
		return (this.segments != null) ? this.segments : Map.of();
	}

	/** Whether the poster frame is stored. */
	public boolean hasThumbnail() {
		return Boolean.TRUE.equals(this.thumbnail);
	}

}
