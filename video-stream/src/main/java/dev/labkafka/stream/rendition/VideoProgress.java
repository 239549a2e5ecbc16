package dev.labkafka.stream.rendition;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import dev.labkafka.messages.ProgressMessage;
import dev.labkafka.messages.VideoMessage;
import dev.labkafka.stream.media.MediaInfo;
import dev.labkafka.videos.QueuedRecord;
import dev.labkafka.videos.Rendition;
import dev.labkafka.videos.Video;
import dev.labkafka.videos.VideoFields;
import dev.labkafka.videos.VideoStatus;
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
 * collection (the {@link Video} document both services map, with the field names of
 * {@link VideoFields}): {@code encoding} once fanned out, {@code success} once every
 * rendition is in {@code variants}, or {@code failed} with an {@code error} when a step
 * gave up. Each step is one atomic single-document update, so several workers can record
 * renditions of the same video at once, and each is safe to repeat. Each change is told
 * to the API ({@link ProgressEvents}), which pushes it to its clients.
 */
@Component
class VideoProgress {

	private static final Logger logger = LoggerFactory.getLogger(VideoProgress.class);

	private static final int MAX_ERROR_LENGTH = 1000;

	private final MongoOperations mongo;

	private final ProgressEvents events;

	private final Clock clock;

	VideoProgress(MongoOperations mongo, ProgressEvents events) {
		this.mongo = mongo;
		this.events = events;
		this.clock = Clock.systemUTC();
	}

	/**
	 * Claims the fan-out of a video for the uploads-topic record {@code source} and marks
	 * the video as being encoded. The claim succeeds when the video waits to be fanned
	 * out ({@code uploaded}: new, retried or sent through again by the API), or when
	 * {@code source} itself claimed it: that record is being redelivered because its
	 * fan-out was never committed. Any other record is a repeated announcement of a video
	 * fanned out already.
	 * @return the scales still missing, or {@code null} when the claim failed (a repeat,
	 * or the video is gone)
	 */
	@Nullable List<Integer> claimFanOut(String id, String source) {
		Query waitingOrOurs = byId(id).addCriteria(new Criteria()
			.orOperator(where(VideoFields.STATUS).is(VideoStatus.UPLOADED), where(VideoFields.FAN_OUT).is(source)));
		Update update = new Update().set(VideoFields.STATUS, VideoStatus.ENCODING)
			.set(VideoFields.FAN_OUT, source)
			.set(VideoFields.UPDATED_AT, this.clock.instant());
		Video video = this.mongo.findAndModify(waitingOrOurs, update, FindAndModifyOptions.options().returnNew(true),
				Video.class);
		if (video == null) {
			return null;
		}
		this.events.publish(ProgressMessage.status(id));
		Map<String, String> variants = video.doneVariants();
		return VideoMessage.RENDITION_SCALES.stream()
			.filter((scale) -> !variants.containsKey(scale.toString()))
			.toList();
	}

	/**
	 * Keeps where the fan-out from {@code source} put the video's rendition messages, by
	 * scale, so that the API can tell a video whose renditions are still queued from one
	 * that is stuck.
	 */
	void queued(String id, String source, Map<Integer, QueuedRecord> renditions) {
		Update update = new Update();
		renditions.forEach((scale, record) -> update.set(VideoFields.queuedRendition(scale), record));
		this.mongo.updateFirst(byId(id).addCriteria(where(VideoFields.FAN_OUT).is(source)), update, Video.class);
	}

	/**
	 * A rendition message moved on, to a retry topic or the dead-letter topic: keeps its
	 * new place.
	 */
	void requeued(String id, int scale, QueuedRecord record) {
		this.mongo.updateFirst(byId(id), new Update().set(VideoFields.queuedRendition(scale), record), Video.class);
	}

	boolean exists(String id) {
		return this.mongo.exists(byId(id), Video.class);
	}

	/**
	 * Where a rendition stands before it is made: the video may be gone, or the rendition
	 * may be done already (a redelivered message).
	 */
	RenditionState renditionState(String id, int scale) {
		Query query = byId(id);
		query.fields().include(VideoFields.VARIANTS);
		Variants video = this.mongo.query(Video.class).as(Variants.class).matching(query).oneValue();
		if (video == null) {
			return RenditionState.VIDEO_GONE;
		}
		Map<String, String> done = video.variants();
		return (done != null && done.containsKey(Integer.toString(scale))) ? RenditionState.DONE : RenditionState.TO_DO;
	}

	/** The part of a {@link Video} that says which renditions are done. */
	private record Variants(@Nullable Map<String, String> variants) {

	}

	enum RenditionState {

		TO_DO, DONE, VIDEO_GONE

	}

	/**
	 * Records a finished rendition in {@code variants.<scale>} (and what it really is in
	 * {@code renditions.<scale>}, if the transcoder says), and marks the video done when
	 * it was the last one missing. Repeating it changes nothing.
	 * @return whether the video still exists
	 */
	boolean recordVariant(String id, int scale, Transcoder.Variant variant) {
		Update update = new Update().set(VideoFields.variant(scale), variant.url())
			.set(VideoFields.UPDATED_AT, this.clock.instant());
		Rendition rendition = variant.rendition();
		if (rendition != null) {
			update.set(VideoFields.rendition(scale), rendition);
		}
		Video video = this.mongo.findAndModify(byId(id), update, FindAndModifyOptions.options().returnNew(true),
				Video.class);
		if (video == null) {
			logger.info("Video {} is gone; dropping its {} rendition", id, scale);
			return false;
		}
		this.events.publish(ProgressMessage.rendition(id, scale));
		if (video.hasEveryVariant()) {
			completeIfDone(id);
		}
		return true;
	}

	/**
	 * Records what ffprobe found in the video's original.
	 * @return whether the video still exists
	 */
	boolean recordMedia(String id, MediaInfo media) {
		Update update = new Update().set(VideoFields.WIDTH, media.width())
			.set(VideoFields.HEIGHT, media.height())
			.set(VideoFields.DURATION, media.duration())
			.set(VideoFields.UPDATED_AT, this.clock.instant());
		return changedMedia(id, update);
	}

	/**
	 * Records that the video's poster frame is stored.
	 * @return whether the video still exists
	 */
	boolean recordThumbnail(String id) {
		return changedMedia(id,
				new Update().set(VideoFields.THUMBNAIL, true).set(VideoFields.UPDATED_AT, this.clock.instant()));
	}

	private boolean changedMedia(String id, Update update) {
		if (this.mongo.updateFirst(byId(id), update, Video.class).getMatchedCount() == 0) {
			return false;
		}
		this.events.publish(ProgressMessage.media(id));
		return true;
	}

	/** Whether the video was probed already: it has a size, or a poster frame. */
	boolean probed(String id) {
		Query probed = byId(id).addCriteria(
				new Criteria().orOperator(where(VideoFields.HEIGHT).gt(0), where(VideoFields.THUMBNAIL).is(true)));
		return this.mongo.exists(probed, Video.class);
	}

	/**
	 * Marks the video done if it is being encoded and has every rendition, unless its
	 * original is not media. A video that failed meanwhile stays failed.
	 */
	void completeIfDone(String id) {
		Criteria allVariants = new Criteria().andOperator(VideoMessage.RENDITION_SCALES.stream()
			.map((scale) -> where(VideoFields.variant(scale)).exists(true))
			.toArray(Criteria[]::new));
		Query incomplete = byId(id).addCriteria(where(VideoFields.STATUS).is(VideoStatus.ENCODING))
			.addCriteria(where(VideoFields.NOT_MEDIA).exists(false))
			.addCriteria(allVariants);
		Update done = new Update().set(VideoFields.STATUS, VideoStatus.SUCCESS)
			.unset(VideoFields.ERROR)
			.set(VideoFields.UPDATED_AT, this.clock.instant());
		if (this.mongo.updateFirst(incomplete, done, Video.class).getModifiedCount() > 0) {
			logger.info("Video {} has all its renditions", id);
			this.events.publish(ProgressMessage.status(id));
		}
	}

	/**
	 * Marks the video failed, with the reason (its first thousand characters): its
	 * messages ran out of retries, or its original is not readable media.
	 */
	void markFailed(String id, String error) {
		Update failed = new Update().set(VideoFields.STATUS, VideoStatus.FAILED)
			.set(VideoFields.ERROR, (error.length() > MAX_ERROR_LENGTH) ? error.substring(0, MAX_ERROR_LENGTH) : error)
			.set(VideoFields.UPDATED_AT, this.clock.instant());
		if (this.mongo
			.updateFirst(byId(id).addCriteria(where(VideoFields.STATUS).ne(VideoStatus.SUCCESS)), failed, Video.class)
			.getModifiedCount() > 0) {
			this.events.publish(ProgressMessage.status(id));
		}
	}

	/**
	 * Marks the video failed for good because its original is not media: also when the
	 * mock's renditions finished first, and so that no retry completes it.
	 */
	void markNotMedia(String id, String error) {
		Update failed = new Update().set(VideoFields.STATUS, VideoStatus.FAILED)
			.set(VideoFields.ERROR, (error.length() > MAX_ERROR_LENGTH) ? error.substring(0, MAX_ERROR_LENGTH) : error)
			.set(VideoFields.NOT_MEDIA, true)
			.set(VideoFields.UPDATED_AT, this.clock.instant());
		if (this.mongo.updateFirst(byId(id), failed, Video.class).getModifiedCount() > 0) {
			this.events.publish(ProgressMessage.status(id));
		}
	}

	private static Query byId(String id) {
		return Query.query(where(VideoFields.ID).is(new ObjectId(id)));
	}

}
