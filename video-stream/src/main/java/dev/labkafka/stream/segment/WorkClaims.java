package dev.labkafka.stream.segment;

import java.time.Duration;
import java.util.Date;
import java.util.UUID;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import dev.labkafka.videos.StoredMedia;
import org.bson.Document;

import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.stereotype.Component;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Updates.combine;
import static com.mongodb.client.model.Updates.set;

/**
 * Which job does a piece of work that several may find to do at once, on several
 * consumers and workers: the sound that all the renditions of a video share (encoded
 * once), and the stitching of a rendition cut into segments (done once). A claim is an
 * empty file in the renditions bucket under the video's id ({@link #sound},
 * {@link #stitch}): inserted by one job only (its id is unique), kept fresh by its holder
 * while it works, and removed when the work is done. A claim not refreshed for
 * {@link #STALE} (its worker was killed) is taken over, so no job waits for a holder that
 * is gone. Like everything under the video's id in that bucket, it goes when the video is
 * deleted.
 */
@Component
public class WorkClaims {

	/** How long a claim lives without being refreshed. */
	public static final Duration STALE = Duration.ofSeconds(30);

	/**
	 * The field of a claim that says who holds it: only its holder refreshes or releases
	 * it, so that a holder that was taken over cannot free the claim of the job that took
	 * it.
	 */
	private static final String OWNER = "owner";

	private final MongoCollection<Document> files;

	WorkClaims(MongoDatabaseFactory databases) {
		this.files = databases.getMongoDatabase().getCollection(StoredMedia.RENDITIONS_BUCKET + ".files");
	}

	/** The claim on making the sound the renditions of the video share. */
	public static String sound(String videoId) {
		return StoredMedia.audioId(videoId) + ".claim";
	}

	/** The claim on stitching the rendition at {@code scale} from its segments. */
	static String stitch(String videoId, int scale) {
		return StoredMedia.renditionId(videoId, scale) + ".stitch";
	}

	/**
	 * Claims the work for {@code owner}.
	 * @return whether the caller holds the claim now: nobody held it, or its holder has
	 * not refreshed it for {@link #STALE}
	 */
	public boolean claim(String claim, String owner) {
		Date now = new Date();
		try {
			this.files.insertOne(new Document("_id", claim).append("length", 0L)
				.append("chunkSize", 255 * 1024)
				.append("uploadDate", now)
				.append("filename", claim.replace('/', '-'))
				.append(OWNER, owner));
			return true;
		}
		catch (MongoWriteException ex) {
			if (ex.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
				throw ex;
			}
		}
		Date stale = new Date(now.getTime() - STALE.toMillis());
		return this.files
			.updateOne(and(eq("_id", claim), lt("uploadDate", stale)),
					combine(set("uploadDate", now), set(OWNER, owner)))
			.getModifiedCount() == 1;
	}

	/** Tells the other jobs that the holder is still at work. */
	public void refresh(String claim, String owner) {
		this.files.updateOne(and(eq("_id", claim), eq(OWNER, owner)), set("uploadDate", new Date()));
	}

	/** Gives the claim up: the work is done, or could not be done. */
	public void release(String claim, String owner) {
		this.files.deleteOne(and(eq("_id", claim), eq(OWNER, owner)));
	}

	/** A new owner for the claims of one piece of work. */
	public static String newOwner() {
		return UUID.randomUUID().toString();
	}

}
