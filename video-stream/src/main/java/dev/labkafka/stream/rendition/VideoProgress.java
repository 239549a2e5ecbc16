package dev.labkafka.stream.rendition;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import dev.labkafka.messages.VideoMessage;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.MongoOperations;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

import static org.springframework.data.mongodb.core.query.Criteria.where;

/**
 * A video's progress through the pipeline, kept in its document in the {@code videos}
 * collection: {@code uploaded} (by the API), {@code encoding} once fanned out,
 * {@code success} once every rendition is in {@code variants}, or {@code failed} with an
 * {@code error} when a step gave up. Each step is one atomic single-document update, so
 * several workers can record renditions of the same video at once, and each is safe to
 * repeat.
 */
@Component
class VideoProgress {

	static final String COLLECTION = "videos";

	static final String ENCODING = "encoding";

	static final String SUCCESS = "success";

	static final String FAILED = "failed";

	/**
	 * Which uploads-topic record fanned the video out:
	 * {@code videos-<partition>@<offset>}.
	 */
	static final String FAN_OUT = "fan_out";

	private static final Logger logger = LoggerFactory.getLogger(VideoProgress.class);

	private final MongoOperations mongo;

	private final Clock clock;

	VideoProgress(MongoOperations mongo) {
		this.mongo = mongo;
		this.clock = Clock.systemUTC();
	}

	/**
	 * Claims the fan-out of a video for the uploads-topic record {@code source} and marks
	 * the video as being encoded. The claim succeeds when no record has fanned the video
	 * out yet (or the API asked for it again), or when {@code source} itself did: that
	 * record is being redelivered because its fan-out was never committed. Any other
	 * record is a duplicate announcement of a video already fanned out.
	 * @return the scales still missing, or {@code null} when the claim failed (a
	 * duplicate, or the video is gone)
	 */
	@Nullable List<Integer> claimFanOut(String id, String source) {
		Query unclaimedOrOurs = byId(id)
			.addCriteria(new Criteria().orOperator(where(FAN_OUT).exists(false), where(FAN_OUT).is(source)));
		Update update = new Update().set("status", ENCODING)
			.set(FAN_OUT, source)
			.set("updated_at", this.clock.instant());
		Document video = this.mongo.findAndModify(unclaimedOrOurs, update,
				FindAndModifyOptions.options().returnNew(true), Document.class, COLLECTION);
		if (video == null) {
			return null;
		}
		Map<String, ?> variants = variants(video);
		return VideoMessage.RENDITION_SCALES.stream()
			.filter((scale) -> !variants.containsKey(scale.toString()))
			.toList();
	}

	boolean exists(String id) {
		return this.mongo.exists(byId(id), COLLECTION);
	}

	/**
	 * Where a rendition stands before it is made: the video may be gone, or the rendition
	 * may be done already (a redelivered message).
	 */
	RenditionState renditionState(String id, int scale) {
		Query query = byId(id);
		query.fields().include("variants");
		Document video = this.mongo.findOne(query, Document.class, COLLECTION);
		if (video == null) {
			return RenditionState.VIDEO_GONE;
		}
		return variants(video).containsKey(Integer.toString(scale)) ? RenditionState.DONE : RenditionState.TO_DO;
	}

	enum RenditionState {

		TO_DO, DONE, VIDEO_GONE

	}

	/**
	 * Records a finished rendition in {@code variants.<scale>}, and marks the video done
	 * when it was the last one missing. Repeating it changes nothing.
	 */
	void recordVariant(String id, int scale, String url) {
		Update update = new Update().set("variants." + scale, url).set("updated_at", this.clock.instant());
		Document video = this.mongo.findAndModify(byId(id), update, FindAndModifyOptions.options().returnNew(true),
				Document.class, COLLECTION);
		if (video == null) {
			logger.info("Video {} is gone; dropping its {} rendition", id, scale);
			return;
		}
		if (isComplete(variants(video))) {
			completeIfDone(id);
		}
	}

	/** Marks the video done if it has every rendition and is not marked yet. */
	void completeIfDone(String id) {
		Criteria allVariants = new Criteria().andOperator(VideoMessage.RENDITION_SCALES.stream()
			.map((scale) -> where("variants." + scale).exists(true))
			.toArray(Criteria[]::new));
		Query incomplete = byId(id).addCriteria(where("status").ne(SUCCESS)).addCriteria(allVariants);
		Update done = new Update().set("status", SUCCESS).unset("error").set("updated_at", this.clock.instant());
		if (this.mongo.updateFirst(incomplete, done, COLLECTION).getModifiedCount() > 0) {
			logger.info("Video {} has all its renditions", id);
		}
	}

	/** Marks the video failed, with the reason, after its messages ran out of retries. */
	void markFailed(String id, String error) {
		Update failed = new Update().set("status", FAILED).set("error", error).set("updated_at", this.clock.instant());
		this.mongo.updateFirst(byId(id).addCriteria(where("status").ne(SUCCESS)), failed, COLLECTION);
	}

	/** Whether {@code variants} holds every rendition scale. */
	static boolean isComplete(Map<String, ?> variants) {
		return VideoMessage.RENDITION_SCALES.stream().allMatch((scale) -> variants.containsKey(scale.toString()));
	}

	private static Map<String, ?> variants(Document video) {
		Document variants = video.get("variants", Document.class);
		return (variants != null) ? variants : Map.of();
	}

	private static Query byId(String id) {
		return Query.query(where("_id").is(new ObjectId(id)));
	}

}
