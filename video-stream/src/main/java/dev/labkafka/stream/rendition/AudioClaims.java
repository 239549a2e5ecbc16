package dev.labkafka.stream.rendition;

import java.time.Duration;
import java.util.Date;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import dev.labkafka.videos.StoredMedia;
import org.bson.Document;

import org.springframework.data.mongodb.MongoDatabaseFactory;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Updates.set;

/**
 * Which rendition job makes the sound that all the renditions of a video share, so that
 * it is encoded once although the renditions run at the same time on several consumers
 * and workers. A claim is an empty file in the renditions bucket, under
 * {@code "<video id>/audio.claim"}: inserted by one job only (its id is unique), kept
 * fresh by its holder while it encodes, and removed when the sound is stored. A claim not
 * refreshed for {@link #STALE} (its worker was killed) is taken over, so no job waits for
 * a holder that is gone. Like everything under the video's id in that bucket, it goes
 * when the video is deleted.
 */
final class AudioClaims {

	/** How long a claim lives without being refreshed. */
	static final Duration STALE = Duration.ofSeconds(30);

	private final MongoCollection<Document> files;

	AudioClaims(MongoDatabaseFactory databases) {
		this.files = databases.getMongoDatabase().getCollection(StoredMedia.RENDITIONS_BUCKET + ".files");
	}

	private static String claimId(String videoId) {
		return StoredMedia.audioId(videoId) + ".claim";
	}

	/**
	 * Claims the making of the video's sound.
	 * @return whether the caller holds the claim now: nobody held it, or its holder has
	 * not refreshed it for {@link #STALE}
	 */
	boolean claim(String videoId) {
		Date now = new Date();
		try {
			this.files.insertOne(new Document("_id", claimId(videoId)).append("length", 0L)
				.append("chunkSize", 255 * 1024)
				.append("uploadDate", now)
				.append("filename", videoId + "-audio.claim"));
			return true;
		}
		catch (MongoWriteException ex) {
			if (ex.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
				throw ex;
			}
		}
		Date stale = new Date(now.getTime() - STALE.toMillis());
		return this.files.updateOne(and(eq("_id", claimId(videoId)), lt("uploadDate", stale)), set("uploadDate", now))
			.getModifiedCount() == 1;
	}

	/** Tells the other jobs that the holder is still at work. */
	void refresh(String videoId) {
		this.files.updateOne(eq("_id", claimId(videoId)), set("uploadDate", new Date()));
	}

	/** Gives the claim up: the sound is stored, or could not be made. */
	void release(String videoId) {
		this.files.deleteOne(eq("_id", claimId(videoId)));
	}

}
