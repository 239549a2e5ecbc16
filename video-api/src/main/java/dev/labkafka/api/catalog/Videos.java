package dev.labkafka.api.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.labkafka.videos.Video;
import dev.labkafka.videos.VideoFields;
import dev.labkafka.videos.VideoStatus;
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
 * The {@code videos} collection, as the catalog reads and changes it. Every change is a
 * single-document atomic update, so any number of API instances (and workers) can share
 * the collection; the catalog leaves the worker's fields alone.
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

	boolean exists(ObjectId id) {
		return this.mongo.exists(byId(id), Video.class);
	}

	/**
	 * Changes a failed video with {@code sendAgain} (back to {@code uploaded}, with an
	 * announcement due).
	 * @return the video, or {@code null} when there is no failed video with this id
	 */
	@Nullable Video retryFailed(ObjectId id, Update sendAgain) {
		Query failed = byId(id).addCriteria(where(VideoFields.STATUS).is(VideoStatus.FAILED));
		return this.mongo.findAndModify(failed, sendAgain, FindAndModifyOptions.options().returnNew(true), Video.class);
	}

	private static Query byId(ObjectId id) {
		return Query.query(where(VideoFields.ID).is(id));
	}

}
