package dev.labkafka.stream.progress;

import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.labkafka.messages.VideoMessage;
import dev.labkafka.videos.QueuedRecord;
import dev.labkafka.videos.Rendition;
import dev.labkafka.videos.SegmentProgress;
import dev.labkafka.videos.Video;
import dev.labkafka.videos.VideoFields;
import dev.labkafka.videos.VideoStatus;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.jspecify.annotations.Nullable;

import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.MongoOperations;
import org.springframework.data.mongodb.core.convert.MongoConverter;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

import static org.springframework.data.mongodb.core.query.Criteria.where;

/**
 * The {@code videos} collection as the worker reads and changes it: the pipeline's fields
 * of the {@link Video} document both services map (field names of {@link VideoFields}).
 * Each change is one atomic single-document update, so several workers can record
 * renditions of the same video at once, and each is safe to repeat; each says what it
 * changed, so that {@link VideoProgress} can tell the API. Nothing here sends a message.
 */
@Component
class Videos {

	private static final int MAX_ERROR_LENGTH = 1000;

	/** What the warm-up's video that does not exist is made of. */
	private static final String WARM_UP = "warm-up";

	private final MongoOperations mongo;

	private final Clock clock = Clock.systemUTC();

	Videos(MongoOperations mongo) {
		this.mongo = mongo;
	}

	/**
	 * Claims the fan-out of a video for the uploads-topic record {@code source} and marks
	 * it {@code encoding}, when it is {@code uploaded} or {@code source} claimed it
	 * before.
	 * @return the video as claimed, or {@code null} when the claim failed (a repeat, or
	 * the video is gone)
	 */
	@Nullable Video claimFanOut(String id, String source) {
		Query waitingOrOurs = byId(id).addCriteria(new Criteria()
			.orOperator(where(VideoFields.STATUS).is(VideoStatus.UPLOADED), where(VideoFields.FAN_OUT).is(source)));
		Update update = new Update().set(VideoFields.STATUS, VideoStatus.ENCODING)
			.set(VideoFields.FAN_OUT, source)
			.set(VideoFields.UPDATED_AT, this.clock.instant());
		return this.mongo.findAndModify(waitingOrOurs, update, FindAndModifyOptions.options().returnNew(true),
				Video.class);
	}

	/**
	 * Keeps where the fan-out from {@code source} put the video's rendition messages, by
	 * scale, if that fan-out still holds the video.
	 */
	void queued(String id, String source, Map<Integer, QueuedRecord> renditions) {
		Update update = new Update();
		renditions.forEach((scale, record) -> update.set(VideoFields.queuedRendition(scale), record));
		this.mongo.updateFirst(byId(id).addCriteria(where(VideoFields.FAN_OUT).is(source)), update, Video.class);
	}

	/** Keeps the new place of one rendition message. */
	void requeued(String id, int scale, QueuedRecord record) {
		this.mongo.updateFirst(byId(id), new Update().set(VideoFields.queuedRendition(scale), record), Video.class);
	}

	boolean exists(String id) {
		return this.mongo.exists(byId(id), Video.class);
	}

	/** Which of these videos exist: one query, for their ids only. */
	Set<String> existing(Collection<String> ids) {
		Query query = Query.query(where(VideoFields.ID).in(ids.stream().map(ObjectId::new).toList()));
		query.fields().include(VideoFields.ID);
		return this.mongo.find(query, Document.class, VideoFields.COLLECTION)
			.stream()
			.map((video) -> video.getObjectId(VideoFields.ID).toHexString())
			.collect(Collectors.toSet());
	}

	/**
	 * The renditions done, by scale (as a string), and nothing else of the document: read
	 * as a plain document, not through a projection of {@link Video}, whose first use
	 * costs the first rendition 30 ms (measured).
	 * @return {@code null} when the video is gone
	 */
	@Nullable Map<String, String> variants(String id) {
		Query query = byId(id);
		query.fields().include(VideoFields.VARIANTS);
		Document video = this.mongo.findOne(query, Document.class, VideoFields.COLLECTION);
		if (video == null) {
			return null;
		}
		Document variants = video.get(VideoFields.VARIANTS, Document.class);
		Map<String, String> done = new LinkedHashMap<>();
		if (variants != null) {
			variants.forEach((scale, url) -> done.put(scale, String.valueOf(url)));
		}
		return done;
	}

	/**
	 * Sets {@code variants.<scale>} to {@code url}, and {@code renditions.<scale>} to
	 * {@code rendition} if there is one.
	 * @return the video with it, or {@code null} when the video is gone
	 */
	@Nullable Video recordVariant(String id, int scale, String url, @Nullable Rendition rendition) {
		Update update = new Update().set(VideoFields.variant(scale), url)
			.set(VideoFields.UPDATED_AT, this.clock.instant());
		if (rendition != null) {
			update.set(VideoFields.rendition(scale), rendition);
		}
		return this.mongo.findAndModify(byId(id), update, FindAndModifyOptions.options().returnNew(true), Video.class);
	}

	/**
	 * Plans the rendition at {@code scale} in segments ({@code plan}), unless it is
	 * planned already (a redelivered message), and, when {@code sound}, the video's
	 * shared sound, unless it is planned or stored already.
	 * @return the video as it is now, or {@code null} when it is gone
	 */
	@Nullable Video planSegments(String id, int scale, SegmentProgress plan, boolean sound) {
		this.mongo.updateFirst(byId(id).addCriteria(where(VideoFields.segments(scale)).exists(false)),
				new Update().set(VideoFields.segments(scale), plan).set(VideoFields.UPDATED_AT, this.clock.instant()),
				Video.class);
		if (sound) {
			this.mongo.updateFirst(byId(id).addCriteria(where(VideoFields.SOUND).exists(false)),
					new Update().set(VideoFields.SOUND, VideoFields.SOUND_PLANNED), Video.class);
		}
		return this.mongo.findOne(byId(id), Video.class);
	}

	/**
	 * Adds segment {@code index} to those stored of the rendition at {@code scale}, if
	 * its plan has that segment; once only, however often it is repeated.
	 * @return the video with it, or {@code null} when the video is gone or its plan has
	 * no such segment
	 */
	@Nullable Video segmentStored(String id, int scale, int index) {
		Update update = new Update().addToSet(VideoFields.segments(scale) + "." + VideoFields.DONE, index)
			.set(VideoFields.UPDATED_AT, this.clock.instant());
		Query planned = byId(id).addCriteria(where(VideoFields.segments(scale) + "." + VideoFields.PLANNED).gt(index));
		return this.mongo.findAndModify(planned, update, FindAndModifyOptions.options().returnNew(true), Video.class);
	}

	/**
	 * Takes the segments {@code indexes} out of those stored of the rendition at
	 * {@code scale}: they are to be made again.
	 */
	void segmentsRemoved(String id, int scale, List<Integer> indexes) {
		Update update = new Update().pullAll(VideoFields.segments(scale) + "." + VideoFields.DONE, indexes.toArray())
			.set(VideoFields.UPDATED_AT, this.clock.instant());
		this.mongo.updateFirst(byId(id), update, Video.class);
	}

	/**
	 * Marks the shared sound of a video cut into segments stored.
	 * @return the video with it, or {@code null} when the video is gone
	 */
	@Nullable Video soundStored(String id) {
		Update update = new Update().set(VideoFields.SOUND, VideoFields.SOUND_STORED)
			.set(VideoFields.UPDATED_AT, this.clock.instant());
		return this.mongo.findAndModify(byId(id), update, FindAndModifyOptions.options().returnNew(true), Video.class);
	}

	/** The video as it is now, or {@code null} when it is gone. */
	@Nullable Video find(String id) {
		return this.mongo.findOne(byId(id), Video.class);
	}

	/**
	 * Sets the size and length ffprobe found.
	 * @return whether the video exists
	 */
	boolean recordMedia(String id, int width, int height, double duration, boolean thumbnail) {
		Update media = new Update().set(VideoFields.WIDTH, width)
			.set(VideoFields.HEIGHT, height)
			.set(VideoFields.DURATION, duration)
			.set(VideoFields.PROBE, VideoFields.PROBE_DONE)
			.set(VideoFields.UPDATED_AT, this.clock.instant());
		if (thumbnail) {
			media.set(VideoFields.THUMBNAIL, true);
		}
		return matched(id, media);
	}

	/**
	 * Notes how the probe ended without media to record: {@link VideoFields#PROBE_DONE}
	 * for a video probed before, {@link VideoFields#PROBE_SKIPPED} for one without bytes.
	 * @return whether the video exists
	 */
	boolean recordProbe(String id, String outcome) {
		return matched(id, new Update().set(VideoFields.PROBE, outcome));
	}

	/**
	 * Marks the video {@code failed} with the error because its original could not be
	 * read, unless it is a {@code success}.
	 * @return whether it changed
	 */
	boolean markProbeFailed(String id, String error) {
		Update failed = failed(error).set(VideoFields.PROBE, VideoFields.PROBE_FAILED);
		return this.mongo
			.updateFirst(byId(id).addCriteria(where(VideoFields.STATUS).ne(VideoStatus.SUCCESS)), failed, Video.class)
			.getModifiedCount() > 0;
	}

	private boolean matched(String id, Update update) {
		return this.mongo.updateFirst(byId(id), update, Video.class).getMatchedCount() > 0;
	}

	/** Whether the video was probed already: it has a size, or a poster frame. */
	boolean probed(String id) {
		Query probed = byId(id).addCriteria(
				new Criteria().orOperator(where(VideoFields.HEIGHT).gt(0), where(VideoFields.THUMBNAIL).is(true)));
		return this.mongo.exists(probed, Video.class);
	}

	/**
	 * Marks the video {@code success}, without an error, if it is {@code encoding}, has
	 * every rendition and was not found to be other than media; when {@code probed}, also
	 * only once its probe is done or skipped ({@link VideoFields#PROBE}).
	 * @return whether it changed
	 */
	boolean completeIfDone(String id, boolean probed) {
		Criteria allVariants = new Criteria().andOperator(VideoMessage.RENDITION_SCALES.stream()
			.map((scale) -> where(VideoFields.variant(scale)).exists(true))
			.toArray(Criteria[]::new));
		Query incomplete = byId(id).addCriteria(where(VideoFields.STATUS).is(VideoStatus.ENCODING))
			.addCriteria(where(VideoFields.NOT_MEDIA).exists(false))
			.addCriteria(allVariants);
		if (probed) {
			incomplete.addCriteria(where(VideoFields.PROBE).in(VideoFields.PROBE_DONE, VideoFields.PROBE_SKIPPED));
		}
		Update done = new Update().set(VideoFields.STATUS, VideoStatus.SUCCESS)
			.unset(VideoFields.ERROR)
			.set(VideoFields.UPDATED_AT, this.clock.instant());
		return this.mongo.updateFirst(incomplete, done, Video.class).getModifiedCount() > 0;
	}

	/**
	 * Marks the video {@code failed} with the error (its first thousand characters),
	 * unless it is a {@code success}.
	 * @return whether it changed
	 */
	boolean markFailed(String id, String error) {
		Update failed = failed(error);
		return this.mongo
			.updateFirst(byId(id).addCriteria(where(VideoFields.STATUS).ne(VideoStatus.SUCCESS)), failed, Video.class)
			.getModifiedCount() > 0;
	}

	/**
	 * Marks the video {@code failed} with the error, whatever its status, and
	 * {@code not_media} so that nothing completes it.
	 * @return whether it changed
	 */
	boolean markNotMedia(String id, String error) {
		Update failed = failed(error).set(VideoFields.NOT_MEDIA, true);
		return this.mongo.updateFirst(byId(id), failed, Video.class).getModifiedCount() > 0;
	}

	private Update failed(String error) {
		return new Update().set(VideoFields.STATUS, VideoStatus.FAILED)
			.set(VideoFields.ERROR, (error.length() > MAX_ERROR_LENGTH) ? error.substring(0, MAX_ERROR_LENGTH) : error)
			.set(VideoFields.UPDATED_AT, this.clock.instant());
	}

	/**
	 * Runs, once, what the first video's reads and changes would otherwise run for the
	 * first time, on a video that does not exist, so that nothing changes: the fan-out's
	 * claim, the renditions' read of the variants, {@link #exists}, the mapping of a
	 * video's document with a variant and a queued rendition message (Spring Data
	 * generates a class that makes each record, here {@link Video} and
	 * {@link QueuedRecord}, on its first read: 70 ms of the first fan-out, measured), and
	 * the updates of the fan-out, the renditions and the completion.
	 */
	void warmUp() {
		MongoConverter converter = this.mongo.getConverter();
		String nobody = new ObjectId().toHexString();
		claimFanOut(nobody, WARM_UP);
		variants(nobody);
		exists(nobody);
		QueuedRecord queued = new QueuedRecord(WARM_UP, 0, 0);
		Document video = new Document(VideoFields.ID, new ObjectId(nobody))
			.append(VideoFields.STATUS, converter.convertToMongoType(VideoStatus.ENCODING))
			.append(VideoFields.FAN_OUT, WARM_UP)
			.append(VideoFields.VARIANTS, new Document(VideoMessage.RENDITION_SCALES.get(0).toString(), WARM_UP))
			.append(VideoFields.RENDITIONS_QUEUED, new Document(VideoMessage.RENDITION_SCALES.get(0).toString(),
					converter.convertToMongoType(queued)));
		converter.read(Video.class, video);
		queued(nobody, WARM_UP, Map.of(VideoMessage.RENDITION_SCALES.get(0), queued));
		recordVariant(nobody, VideoMessage.RENDITION_SCALES.get(0), WARM_UP, null);
		completeIfDone(nobody, true);
	}

	private static Query byId(String id) {
		return Query.query(where(VideoFields.ID).is(new ObjectId(id)));
	}

}
