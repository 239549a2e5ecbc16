package dev.labkafka.api.video;

import java.util.List;
import java.util.Optional;

import org.bson.types.ObjectId;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoOperations;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Repository;

import static org.springframework.data.mongodb.core.query.Criteria.where;

/**
 * The {@code videos} collection.
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
		Query query = new Query().with(Sort.by(Sort.Direction.DESC, "created_at", "_id")).skip(skip).limit(limit);
		return this.mongo.find(query, Video.class);
	}

	/** Deletes the video's document; false when there was none. */
	boolean delete(ObjectId id) {
		return this.mongo.remove(Query.query(where("_id").is(id)), Video.class).getDeletedCount() > 0;
	}

}
