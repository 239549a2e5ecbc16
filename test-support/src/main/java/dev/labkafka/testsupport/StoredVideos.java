package dev.labkafka.testsupport;

import java.time.Instant;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import dev.labkafka.videos.VideoFields;
import dev.labkafka.videos.VideoStatus;
import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * Video documents for tests, read and written the way any MongoDB client would, with the
 * field names both services share.
 */
public final class StoredVideos {

	private final MongoCollection<Document> videos;

	public StoredVideos(MongoDatabase database) {
		this.videos = database.getCollection(VideoFields.COLLECTION);
	}

	/** Stores a video as the API would have just stored an upload; returns its id. */
	public String insertUploaded() {
		ObjectId id = new ObjectId();
		Instant now = Instant.now();
		this.videos.insertOne(new Document(VideoFields.ID, id).append(VideoFields.WIDTH, 0)
			.append(VideoFields.HEIGHT, 0)
			.append(VideoFields.SIZE, 10L)
			.append(VideoFields.DURATION, 0.0)
			.append(VideoFields.URL, "http://api/v1/videos/" + id.toHexString() + "/content")
			.append(VideoFields.STATUS, VideoStatus.UPLOADED.word())
			.append(VideoFields.VARIANTS, new Document())
			.append(VideoFields.CREATED_AT, now)
			.append(VideoFields.UPDATED_AT, now)
			.append(VideoFields.FILENAME, "clip.mp4")
			.append(VideoFields.CONTENT_TYPE, "video/mp4"));
		return id.toHexString();
	}

	/** The video's document, or {@code null}. */
	public Document find(String id) {
		return this.videos.find(new Document(VideoFields.ID, new ObjectId(id))).first();
	}

	public String status(String id) {
		return find(id).getString(VideoFields.STATUS);
	}

	/** Sets fields of the video's document. */
	public void set(String id, Document fields) {
		this.videos.updateOne(new Document(VideoFields.ID, new ObjectId(id)), new Document("$set", fields));
	}

	public MongoCollection<Document> collection() {
		return this.videos;
	}

}
