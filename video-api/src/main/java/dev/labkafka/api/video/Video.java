package dev.labkafka.api.video;

import java.time.Instant;
import java.util.Map;

import org.bson.types.ObjectId;
import org.jspecify.annotations.Nullable;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.index.CompoundIndex;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.Field;

/**
 * A video as the {@code videos} collection stores it, with the original lab's field
 * names. The worker updates {@code status}, {@code variants} and {@code error} in place.
 *
 * @param id also the id of the video's bytes in GridFS
 * @param error why the pipeline gave up on the video, when {@code status} is
 * {@code failed}
 * @param filename the client's file name, cleaned; kept for people, never used as a path
 * @param contentType the container format found in the bytes
 * @param announceAt present while the video's {@code scale = 0} message is not yet known
 * to be on Kafka: the outbox. The relay sends it when this time has passed.
 */
@Document(Video.COLLECTION)
@CompoundIndex(name = "stuck", def = "{'status': 1, 'updated_at': 1}")
record Video(@Id ObjectId id, int width, int height, long size, double duration, String url, String status,
		Map<String, String> variants, @Nullable String error, @Indexed @Field("created_at") Instant createdAt,
		@Field("updated_at") Instant updatedAt, String filename, @Field("content_type") String contentType,
		@Indexed(sparse = true) @Field(ANNOUNCE_AT) @Nullable Instant announceAt) {

	static final String COLLECTION = "videos";

	static final String ANNOUNCE_AT = "announce_at";

	static final String UPLOADED = "uploaded";

	static final String ENCODING = "encoding";

	static final String FAILED = "failed";

	/**
	 * A video whose bytes are stored and whose renditions are yet to come. Its
	 * announcement is due at {@code announceAt}.
	 */
	static Video uploaded(ObjectId id, long size, String url, Instant now, String filename, String contentType,
			Instant announceAt) {
		return new Video(id, 0, 0, size, 0, url, UPLOADED, Map.of(), null, now, now, filename, contentType, announceAt);
	}

}
