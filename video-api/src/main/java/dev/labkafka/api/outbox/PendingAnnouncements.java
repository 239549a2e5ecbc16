package dev.labkafka.api.outbox;

import java.time.Instant;

import dev.labkafka.videos.QueuedRecord;
import dev.labkafka.videos.Video;
import dev.labkafka.videos.VideoFields;
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
 * The outbox's fields of the video documents ({@code announce_at}, {@code announcement}):
 * which announcements are pending, and where Kafka put the sent ones. Each change is one
 * atomic update, so several API instances relay side by side.
 */
@Repository
class PendingAnnouncements {

	private final MongoOperations mongo;

	PendingAnnouncements(MongoOperations mongo) {
		this.mongo = mongo;
	}

	/** How many videos are in the outbox. */
	long count() {
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
	 * other relay takes it. Only its id and url are read.
	 */
	@Nullable Video claimDue(Instant now, Instant leaseUntil) {
		Query due = Query.query(where(VideoFields.ANNOUNCE_AT).lte(now)).with(Sort.by(VideoFields.ANNOUNCE_AT));
		due.fields().include(VideoFields.ID, VideoFields.URL);
		return this.mongo.findAndModify(due, new Update().set(VideoFields.ANNOUNCE_AT, leaseUntil),
				FindAndModifyOptions.options().returnNew(true), Video.class);
	}

	private static Query byId(ObjectId id) {
		return Query.query(where(VideoFields.ID).is(id));
	}

}
