package dev.labkafka.api.redrive;

import java.time.Instant;
import java.util.List;

import dev.labkafka.videos.VideoFields;
import dev.labkafka.videos.VideoStatus;
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
 * The videos in progress that have not moved for a while, as the re-drive reads and
 * changes them: only {@link InProgress#FIELDS} are read, so that a document that lacks
 * others (written by hand, or by an older version) does not stop it.
 */
@Repository
class QuietVideos {

	private final MongoOperations mongo;

	QuietVideos(MongoOperations mongo) {
		this.mongo = mongo;
	}

	/**
	 * Videos still in progress, out of the outbox, that have not changed since
	 * {@code cutoff}: the ones that may be stuck. A page of them, the least recently
	 * changed first, after {@code after} (the last of the page before, or {@code null}).
	 */
	List<InProgress> unchangedSince(Instant cutoff, @Nullable InProgress after, int limit) {
		Criteria inProgress = where(VideoFields.STATUS).in(VideoStatus.IN_PROGRESS)
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

	/**
	 * Sends a video through the pipeline again with {@code sendAgain}, unless it has
	 * changed since it was found stuck (another API instance re-drove it, or the worker
	 * moved it on).
	 * @return the video as re-driven, or {@code null} when it had changed
	 */
	@Nullable InProgress redrive(InProgress stuck, Update sendAgain) {
		Query unchanged = Query.query(where(VideoFields.ID).is(stuck.id())
			.and(VideoFields.STATUS)
			.is(stuck.status())
			.and(VideoFields.UPDATED_AT)
			.is(stuck.updatedAt())
			.and(VideoFields.ANNOUNCE_AT)
			.exists(false));
		unchanged.fields().include(InProgress.FIELDS);
		return this.mongo.findAndModify(unchanged, sendAgain, FindAndModifyOptions.options().returnNew(true),
				InProgress.class, VideoFields.COLLECTION);
	}

}
