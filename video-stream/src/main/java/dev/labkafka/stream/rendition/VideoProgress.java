package dev.labkafka.stream.rendition;

import java.time.Clock;
import java.util.Map;

import dev.labkafka.messages.VideoMessage;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.MongoOperations;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

import static org.springframework.data.mongodb.core.query.Criteria.where;

/**
 * A video's progress through the pipeline, kept in its document in the {@code videos}
 * collection: {@code uploaded} (by the API), {@code encoding} once fanned out,
 * {@code success} once every rendition is in {@code variants}. Each step is one atomic
 * single-document update, so several workers can record renditions of the same video at
 * once.
 */
@Component
class VideoProgress {

	static final String COLLECTION = "videos";

	static final String ENCODING = "encoding";

	static final String SUCCESS = "success";

	private static final Logger logger = LoggerFactory.getLogger(VideoProgress.class);

	private final MongoOperations mongo;

	private final Clock clock;

	VideoProgress(MongoOperations mongo) {
		this.mongo = mongo;
		this.clock = Clock.systemUTC();
	}

	/**
	 * Marks the video as being encoded.
	 * @return false when there is no such video (deleted meanwhile)
	 */
	boolean startEncoding(String id) {
		Update update = new Update().set("status", ENCODING).set("updated_at", this.clock.instant());
		return this.mongo.updateFirst(byId(id), update, COLLECTION).getMatchedCount() > 0;
	}

	/**
	 * Records a finished rendition in {@code variants.<scale>}, and marks the video done
	 * when it was the last one missing.
	 */
	void recordVariant(String id, int scale, String url) {
		Update update = new Update().set("variants." + scale, url).set("updated_at", this.clock.instant());
		Document video = this.mongo.findAndModify(byId(id), update, FindAndModifyOptions.options().returnNew(true),
				Document.class, COLLECTION);
		if (video == null) {
			logger.info("Video {} is gone; dropping its {} rendition", id, scale);
			return;
		}
		logger.info("Video {}: rendition {} done", id, scale);
		if (isComplete(video.get("variants", Document.class))) {
			Update done = new Update().set("status", SUCCESS).set("updated_at", this.clock.instant());
			if (this.mongo.updateFirst(byId(id).addCriteria(where("status").ne(SUCCESS)), done, COLLECTION)
				.getModifiedCount() > 0) {
				logger.info("Video {} has all its renditions", id);
			}
		}
	}

	/** Whether {@code variants} holds every rendition scale. */
	static boolean isComplete(Map<String, ?> variants) {
		return VideoMessage.RENDITION_SCALES.stream().allMatch((scale) -> variants.containsKey(scale.toString()));
	}

	private static Query byId(String id) {
		return Query.query(where("_id").is(new ObjectId(id)));
	}

}
