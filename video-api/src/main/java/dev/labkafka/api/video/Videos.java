package dev.labkafka.api.video;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.bson.types.ObjectId;
import org.jspecify.annotations.Nullable;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.MongoOperations;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Repository;

import static org.springframework.data.mongodb.core.query.Criteria.where;

/**
 * The {@code videos} collection. Every change is a single-document atomic update, so any
 * number of API instances can share the collection.
 */
@Repository
class Videos {

	/** Set by the worker: which uploads-topic record fanned the video out. */
	private static final String FAN_OUT = "fan_out";

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
		Query query = new Query().with(Sort.by(Sort.Direction.DESC, "created_at", "_id")).skip(skip).limit(limit);
		return this.mongo.find(query, Video.class);
	}

	/** Deletes the video's document; false when there was none. */
	boolean delete(ObjectId id) {
		return this.mongo.remove(byId(id), Video.class).getDeletedCount() > 0;
	}

	/** How many videos are in the outbox. */
	long countPendingAnnouncements() {
		return this.mongo.count(Query.query(where(Video.ANNOUNCE_AT).exists(true)), Video.class);
	}

	/** The video's announcement is on Kafka: it leaves the outbox. */
	void announced(ObjectId id) {
		this.mongo.updateFirst(byId(id), new Update().unset(Video.ANNOUNCE_AT), Video.class);
	}

	/**
	 * The video's announcement failed: the relay is to send it again from {@code at} on.
	 */
	void announceAgainAt(ObjectId id, Instant at) {
		this.mongo.updateFirst(byId(id).addCriteria(where(Video.ANNOUNCE_AT).exists(true)),
				new Update().set(Video.ANNOUNCE_AT, at), Video.class);
	}

	/**
	 * Takes the oldest announcement that is due, for {@code leaseUntil}: until then no
	 * other relay takes it.
	 */
	@Nullable Video claimDueAnnouncement(Instant now, Instant leaseUntil) {
		Query due = Query.query(where(Video.ANNOUNCE_AT).lte(now)).with(Sort.by(Video.ANNOUNCE_AT));
		return this.mongo.findAndModify(due, new Update().set(Video.ANNOUNCE_AT, leaseUntil),
				FindAndModifyOptions.options().returnNew(true), Video.class);
	}

	/**
	 * Sends one video that has been {@code encoding} with no progress since
	 * {@code cutoff} through the pipeline again.
	 * @return the video, or {@code null} when none is stuck
	 */
	@Nullable Video redriveStuck(Instant cutoff, Instant now, Instant announceAt) {
		Query stuck = Query.query(where("status").is(Video.ENCODING).and("updated_at").lt(cutoff))
			.addCriteria(where(Video.ANNOUNCE_AT).exists(false));
		return this.mongo.findAndModify(stuck, redrive(now, announceAt), FindAndModifyOptions.options().returnNew(true),
				Video.class);
	}

	/**
	 * Sends a failed video through the pipeline again; the worker then makes only the
	 * renditions it is missing.
	 * @return the video, or {@code null} when there is no failed video with this id
	 */
	@Nullable Video retryFailed(ObjectId id, Instant now, Instant announceAt) {
		Query failed = byId(id).addCriteria(where("status").is(Video.FAILED));
		return this.mongo.findAndModify(failed, redrive(now, announceAt),
				FindAndModifyOptions.options().returnNew(true), Video.class);
	}

	private static Update redrive(Instant now, Instant announceAt) {
		return new Update().set("status", Video.UPLOADED)
			.unset("error")
			.unset(FAN_OUT)
			.set(Video.ANNOUNCE_AT, announceAt)
			.set("updated_at", now);
	}

	private static Query byId(ObjectId id) {
		return Query.query(where("_id").is(id));
	}

}
