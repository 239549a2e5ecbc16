package dev.labkafka.api.video;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.labkafka.videos.QueuedRecord;
import dev.labkafka.videos.VideoFields;
import dev.labkafka.videos.VideoStatus;
import org.bson.types.ObjectId;
import org.jspecify.annotations.Nullable;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.index.CompoundIndex;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.Field;

/**
 * A video as the {@code videos} collection stores it, with the field names of
 * {@link VideoFields} (the original lab's, for the fields it had). The worker updates the
 * pipeline's fields in place.
 *
 * @param id also the id of the video's bytes in GridFS
 * @param error why the pipeline gave up on the video, when {@code status} is
 * {@code failed}
 * @param filename the client's file name, cleaned; kept for people, never used as a path
 * @param contentType the container format found in the bytes
 * @param announceAt present while the video's {@code scale = 0} message is not yet known
 * to be on Kafka: the outbox. The relay sends it when this time has passed.
 * @param announcement where Kafka put the last announcement (see {@link InProgress})
 * @param renditionsQueued where the video's rendition messages are, by scale
 * @param thumbnail whether the worker stored the video's poster frame
 * @param renditions what each rendition really is, by scale, when ffmpeg made them
 */
@Document(VideoFields.COLLECTION)
@CompoundIndex(name = "stuck", def = "{'" + VideoFields.STATUS + "': 1, '" + VideoFields.UPDATED_AT + "': 1}")
record Video(@Id ObjectId id, int width, int height, long size, double duration, String url, String status,
		Map<String, String> variants, @Nullable String error, @Indexed @Field(VideoFields.CREATED_AT) Instant createdAt,
		@Indexed @Field(VideoFields.UPDATED_AT) Instant updatedAt, String filename,
		@Field(VideoFields.CONTENT_TYPE) String contentType,
		@Indexed(sparse = true) @Field(VideoFields.ANNOUNCE_AT) @Nullable Instant announceAt,
		@Field(VideoFields.ANNOUNCEMENT) @Nullable QueuedRecord announcement,
		@Field(VideoFields.RENDITIONS_QUEUED) @Nullable Map<String, QueuedRecord> renditionsQueued,
		@Field(VideoFields.THUMBNAIL) @Nullable Boolean thumbnail,
		@Field(VideoFields.RENDITIONS) @Nullable Map<String, Rendition> renditions) {

	/**
	 * One rendition as the ffmpeg transcoder made it: a file of its own, so big and so
	 * long, or the same file as a smaller scale, because the original is not taller.
	 *
	 * @param encoded whether a file was encoded for this scale
	 * @param width of the file, when encoded
	 * @param height of the file, when encoded
	 * @param duration of the file in seconds, when encoded
	 * @param sameAs the scale whose file this one is, when not encoded
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Rendition(@Field(VideoFields.ENCODED) @Nullable Boolean encoded, @Nullable Integer width,
			@Nullable Integer height, @Nullable Double duration, @Field(VideoFields.SAME_AS) @Nullable Integer sameAs) {
	}

	/** Whether the poster frame is stored. */
	boolean hasThumbnail() {
		return Boolean.TRUE.equals(this.thumbnail);
	}

	/**
	 * A video whose bytes are stored and whose renditions are yet to come. Its
	 * announcement is due at {@code announceAt}.
	 */
	static Video uploaded(ObjectId id, long size, String url, Instant now, String filename, String contentType,
			Instant announceAt) {
		return new Video(id, 0, 0, size, 0, url, VideoStatus.UPLOADED.word(), Map.of(), null, now, now, filename,
				contentType, announceAt, null, null, null, null);
	}

}
