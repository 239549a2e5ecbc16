package dev.labkafka.api.video;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.labkafka.videos.QueuedRecord;
import dev.labkafka.videos.VideoFields;
import dev.labkafka.videos.VideoStatus;
import org.bson.types.ObjectId;
import org.jspecify.annotations.Nullable;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.MongoOperations;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Repository;

import static org.springframework.data.mongodb.core.query.Criteria.where;

/**
 * The {@code videos} collection, as the API changes it. Every change is a single-document
 * atomic update, so any number of API instances (and workers) can share the collection;
 * the API leaves the worker's fields alone.
 */
@Repository
class Videos {

	private final MongoOperations mongo;

	Videos(MongoOperations mongo) {
		this.mongo = mongo;
	}

	void insert(Video video) {
		this.mongo.insert(video);
	}

	Optional<Video> findById(ObjectId id) {
		return Optional.ofNullable(this.mongo.findById(id, Video.class));
	}

	List<Video> newestFirst(int skip, int limit) {
		Query query = new Query().with(Sort.by(Sort.Direction.DESC, VideoFields.CREATED_AT, VideoFields.ID))
			.skip(skip)
			.limit(limit);
		return this.mongo.find(query, Video.class);
	}

	/** The videos changed at or after {@code since}, the oldest change first. */
	List<Video> changedSince(Instant since, int limit) {
		Query query = Query.query(where(VideoFields.UPDATED_AT).gte(since))
			.with(Sort.by(VideoFields.UPDATED_AT, VideoFields.ID))
			.limit(limit);
		return this.mongo.find(query, Video.class);
	}

	/** Deletes the video's document; false when there was none. */
	boolean delete(ObjectId id) {
		return this.mongo.remove(byId(id), Video.class).getDeletedCount() > 0;
	}

	/** How many videos are in the outbox. */
	long countPendingAnnouncements() {
		return this.mongo.count(Query.query(where(VideoFields.ANNOUNCE_AT).exists(true)), Video.class);
	}

	/** The video's announcement is on Kafka, at {@code where}: it leaves the outbox. */
	void announced(ObjectId id, QueuedRecord where) {
		this.mongo.updateFirst(byId(id),
				new Update().unset(VideoFields.ANNOUNCE_AT).set(VideoFields.ANNOUNCEMENT, where), Video.class);
	}

	/**
	 * The video's announcement failed: the relay is to send it again from {@code at} on.
	 */
	void announceAgainAt(ObjectId id, Instant at) {
		this.mongo.updateFirst(byId(id).addCriteria(where(VideoFields.ANNOUNCE_AT).exists(true)),
				new Update().set(VideoFields.ANNOUNCE_AT, at), Video.class);
	}

	/**
	 * Takes the oldest announcement that is due, for {@code leaseUntil}: until then no
	 * other relay takes it.
	 */
	@Nullable InProgress claimDueAnnouncement(Instant now, Instant leaseUntil) {
		Query due = Query.query(where(VideoFields.ANNOUNCE_AT).lte(now)).with(Sort.by(VideoFields.ANNOUNCE_AT));
		due.fields().include(InProgress.FIELDS);
		return this.mongo.findAndModify(due, new Update().set(VideoFields.ANNOUNCE_AT, leaseUntil),
				FindAndModifyOptions.options().returnNew(true), InProgress.class, VideoFields.COLLECTION);
	}

	/**
	 * Videos still in progress, out of the outbox, that have not changed since
	 * {@code cutoff}: the ones that may be stuck. A page of them, the least recently
	 * changed first, after {@code after} (the last of the page before, or {@code null}).
	 */
	List<InProgress> unchangedSince(Instant cutoff, @Nullable InProgress after, int limit) {
		Criteria inProgress = where(VideoFields.STATUS).in(VideoStatus.inProgressWords())
			.and(VideoFields.ANNOUNCE_AT)
			.exists(false);
		Criteria page = (after != null)
				? new Criteria().orOperator(where(VideoFields.UPDATED_AT).gt(after.updatedAt()).lt(cutoff),
						where(VideoFields.UPDATED_AT).is(after.updatedAt()).and(VideoFields.ID).gt(after.id()))
				: where(VideoFields.UPDATED_AT).lt(cutoff);
		Query quiet = Query.query(inProgress)
			.addCriteria(page)
			.with(Sort.by(VideoFields.UPDATED_AT, VideoFields.ID))
			.limit(limit);
		quiet.fields().include(InProgress.FIELDS);
		return this.mongo.find(quiet, InProgress.class, VideoFields.COLLECTION);
	}

	boolean exists(ObjectId id) {
		return this.mongo.exists(byId(id), Video.class);
	}

	/**
	 * Sends a stuck video through the pipeline again, unless it has changed since it was
	 * found stuck (another API instance re-drove it, or the worker moved it on).
	 * @return the video as re-driven, or {@code null} when it had changed
	 */
	@Nullable InProgress redrive(InProgress stuck, Instant now, Instant announceAt) {
		Query unchanged = byId(stuck.id()).addCriteria(where(VideoFields.STATUS).is(stuck.status())
			.and(VideoFields.UPDATED_AT)
			.is(stuck.updatedAt())
			.and(VideoFields.ANNOUNCE_AT)
			.exists(false));
		unchanged.fields().include(InProgress.FIELDS);
		return this.mongo.findAndModify(unchanged, redrive(now, announceAt),
				FindAndModifyOptions.options().returnNew(true), InProgress.class, VideoFields.COLLECTION);
	}

	/**
	 * Sends a failed video through the pipeline again; the worker then makes only the
	 * renditions it is missing.
	 * @return the video, or {@code null} when there is no failed video with this id
	 */
	@Nullable Video retryFailed(ObjectId id, Instant now, Instant announceAt) {
		Query failed = byId(id).addCriteria(where(VideoFields.STATUS).is(VideoStatus.FAILED.word()));
		return this.mongo.findAndModify(failed, redrive(now, announceAt),
				FindAndModifyOptions.options().returnNew(true), Video.class);
	}

	/**
	 * Back to {@code uploaded}, with a new announcement due: the worker's fan-out takes a
	 * video that is {@code uploaded} whatever record announces it.
	 */
	private static Update redrive(Instant now, Instant announceAt) {
		return new Update().set(VideoFields.STATUS, VideoStatus.UPLOADED.word())
			.unset(VideoFields.ERROR)
			.unset(VideoFields.ANNOUNCEMENT)
			.set(VideoFields.ANNOUNCE_AT, announceAt)
			.set(VideoFields.UPDATED_AT, now);
	}

	private static Query byId(ObjectId id) {
		return Query.query(where(VideoFields.ID).is(id));
	}

}
