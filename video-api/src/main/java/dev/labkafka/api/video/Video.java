package dev.labkafka.api.video;

import java.time.Instant;
import java.util.Map;

import org.bson.types.ObjectId;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.Field;

/**
 * A video as the {@code videos} collection stores it, with the original lab's field
 * names. The worker updates {@code status} and {@code variants} in place.
 *
 * @param id also the id of the video's bytes in GridFS
 * @param filename the client's file name, cleaned; kept for people, never used as a path
 * @param contentType the container format found in the bytes
 */
@Document(Video.COLLECTION)
record Video(@Id ObjectId id, int width, int height, long size, double duration, String url, String status,
		Map<String, String> variants, @Field("created_at") Instant createdAt, @Field("updated_at") Instant updatedAt,
		String filename, @Field("content_type") String contentType) {

	static final String COLLECTION = "videos";

	static final String UPLOADED = "uploaded";

	/** A video whose bytes are stored and whose renditions are yet to come. */
	static Video uploaded(ObjectId id, long size, String url, Instant now, String filename, String contentType) {
		return new Video(id, 0, 0, size, 0, url, UPLOADED, Map.of(), now, now, filename, contentType);
	}

}
