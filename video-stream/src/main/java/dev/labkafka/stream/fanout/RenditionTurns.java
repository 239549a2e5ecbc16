package dev.labkafka.stream.fanout;

import java.util.Objects;

import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.MongoOperations;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

import static org.springframework.data.mongodb.core.query.Criteria.where;

/**
 * The turns of the rendition messages, one sequence shared by every worker: each fan-out
 * takes as many turns as it sends renditions, and {@link RenditionPartitions} gives turn
 * {@code t} to the {@code t}-th consumer of the group in turn. With a sequence of each
 * worker's own, the shares of several workers would add up unevenly (measured: 9 to 11
 * renditions a consumer with 4 workers and 40 videos, where 10 each was possible).
 * <p>
 * The sequence is one document, {@code {_id: "renditions", next: <long>}}, in the
 * {@code rendition_turns} collection, taken with one atomic increment per fan-out. Before
 * the worker reports ready it takes no turn once, which makes the document (and on a new
 * database the collection) that the first fan-out would otherwise wait for (90 ms,
 * measured).
 */
@Component
class RenditionTurns implements ApplicationRunner {

	private static final Logger logger = LoggerFactory.getLogger(RenditionTurns.class);

	static final String COLLECTION = "rendition_turns";

	private static final String ID = "renditions";

	private static final String NEXT = "next";

	private final MongoOperations mongo;

	RenditionTurns(MongoOperations mongo) {
		this.mongo = mongo;
	}

	@Override
	public void run(ApplicationArguments args) {
		try {
			take(0);
		}
		catch (RuntimeException ex) {
			logger.info("Could not warm up the rendition turns yet: {}", ex.toString());
		}
	}

	/**
	 * Takes {@code count} consecutive turns.
	 * @return the first of them
	 */
	long take(int count) {
		try {
			return takeOnce(count);
		}
		catch (DuplicateKeyException ex) {
			// Two first takes at once: both tried to create the document; it exists now.
			return takeOnce(count);
		}
	}

	private long takeOnce(int count) {
		Document after = this.mongo.findAndModify(Query.query(where("_id").is(ID)), new Update().inc(NEXT, count),
				FindAndModifyOptions.options().upsert(true).returnNew(true), Document.class, COLLECTION);
		return ((Number) Objects.requireNonNull(after, "upserted").get(NEXT)).longValue() - count;
	}

}
