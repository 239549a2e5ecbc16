package dev.labkafka.api.redrive;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.labkafka.videos.QueuedRecord;
import dev.labkafka.videos.VideoFields;
import dev.labkafka.videos.VideoStatus;
import org.bson.types.ObjectId;
import org.jspecify.annotations.Nullable;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Field;

/**
 * What the outbox relay and the search for stuck videos read of a video in progress: its
 * url (to announce it), its status, its last change, what is done, and where its messages
 * are. Only these fields are read, so a document that lacks others (written by hand, or
 * by an older version) does not stop them.
 *
 * @param id the video's id
 * @param url where clients fetch its bytes
 * @param status {@code uploaded} or {@code encoding}
 * @param updatedAt its last change
 * @param variants the renditions done, by scale
 * @param announcement where Kafka put the last announcement
 * @param renditionsQueued where each rendition message is, by scale
 */
record InProgress(@Id ObjectId id, @Nullable String url, @Nullable VideoStatus status,
		@Field(VideoFields.UPDATED_AT) Instant updatedAt, @Nullable Map<String, String> variants,
		@Field(VideoFields.ANNOUNCEMENT) @Nullable QueuedRecord announcement,
		@Field(VideoFields.RENDITIONS_QUEUED) @Nullable Map<String, QueuedRecord> renditionsQueued) {

	/** The fields this reads. */
	static final String[] FIELDS = { VideoFields.ID, VideoFields.URL, VideoFields.STATUS, VideoFields.UPDATED_AT,
			VideoFields.VARIANTS, VideoFields.ANNOUNCEMENT, VideoFields.RENDITIONS_QUEUED };

	/**
	 * The Kafka records that move the video on from its current status: its announcement
	 * while it is {@code uploaded}, its missing renditions' messages while it is
	 * {@code encoding}. Empty when the document does not say.
	 */
	List<QueuedRecord> waitingRecords() {
		if (this.status == VideoStatus.UPLOADED) {
			return (this.announcement != null) ? List.of(this.announcement) : List.of();
		}
		if (this.status == VideoStatus.ENCODING && this.renditionsQueued != null) {
			Map<String, String> done = (this.variants != null) ? this.variants : Map.of();
			return this.renditionsQueued.entrySet()
				.stream()
				.filter((rendition) -> !done.containsKey(rendition.getKey()))
				.map(Map.Entry::getValue)
				.toList();
		}
		return List.of();
	}

}
