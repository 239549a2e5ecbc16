package dev.labkafka.api.tus;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.bson.Document;
import org.bson.types.Binary;
import org.bson.types.ObjectId;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.data.mongodb.core.MongoOperations;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Repository;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

/**
 * The {@code uploads} collection: one record per resumable upload, with its offset, the
 * bytes past its last whole chunk, and its lease. Its field names are written here only.
 * <p>
 * A request that writes an upload's bytes holds it with a lease ({@link #claim}): a token
 * of its own and a time until which no other may take it; every change it makes is
 * conditional on still holding it ({@link #commit}), and the lease is renewed while bytes
 * arrive. A lease that ran out (its instance died) is taken over by the next request.
 */
@Repository
class UploadRecords {

	static final String COLLECTION = "uploads";

	/**
	 * How long an append holds an upload without renewing its lease (it does, a third of
	 * the way, while bytes arrive) before another may take it over.
	 */
	static final Duration LEASE = Duration.ofSeconds(10);

	private static final String ID = "_id";

	private static final String LENGTH = "length";

	private static final String OFFSET = "offset";

	private static final String CHUNK_COUNT = "chunks";

	private static final String TAIL = "tail";

	private static final String FILENAME = "filename";

	private static final String CONTENT_TYPE = "contentType";

	private static final String METADATA = "metadata";

	private static final String CREATED_AT = "createdAt";

	static final String EXPIRES_AT = "expiresAt";

	static final String STATE = "state";

	static final String CLIENT = "client";

	private static final String KEY = "key";

	private static final String OWNER = "owner";

	private static final String LOCK = "lock";

	private static final String LOCKED_UNTIL = "lockedUntil";

	private final MongoOperations mongo;

	UploadRecords(MongoOperations mongo) {
		this.mongo = mongo;
	}

	/**
	 * A new upload of {@code length} bytes, receiving, held by nobody.
	 * @param key the secret of its address
	 * @param owner the subject of the token that created it, if any
	 * @param client who created it, as its open uploads are counted
	 */
	Upload create(ObjectId id, String key, @Nullable String owner, String client, long length, String filename,
			String metadata, Instant now, Instant expiresAt) {
		Document record = new Document(ID, id).append(KEY, key)
			.append(OWNER, owner)
			.append(CLIENT, client)
			.append(LENGTH, length)
			.append(OFFSET, 0L)
			.append(CHUNK_COUNT, 0)
			.append(FILENAME, filename)
			.append(METADATA, metadata)
			.append(CREATED_AT, Date.from(now))
			.append(EXPIRES_AT, Date.from(expiresAt))
			.append(STATE, Upload.State.RECEIVING.word())
			.append(LOCK, null);
		this.mongo.insert(record, COLLECTION);
		return upload(record);
	}

	@Nullable Upload find(ObjectId id) {
		Document found = this.mongo.findById(id, Document.class, COLLECTION);
		return (found != null) ? upload(found) : null;
	}

	/**
	 * Takes the upload at {@code offset} for the holder of {@code token}, unless another
	 * holds it or it has expired.
	 * @return the upload as taken, or {@code null}
	 */
	@Nullable Claim claim(ObjectId id, long offset, String token, Instant now) {
		Query claimable = query(where(ID).is(id)
			.and(OFFSET)
			.is(offset)
			.and(STATE)
			.in(Upload.State.RECEIVING.word(), Upload.State.FINISHING.word())
			.and(EXPIRES_AT)
			.gt(Date.from(now))
			.orOperator(where(LOCK).is(null), where(LOCKED_UNTIL).lt(Date.from(now))));
		// The record as it was: its lock tells whether an append died holding it.
		Document before = this.mongo.findAndModify(claimable,
				new Update().set(LOCK, token).set(LOCKED_UNTIL, Date.from(now.plus(LEASE))), Document.class,
				COLLECTION);
		return (before != null) ? new Claim(upload(before), before.get(LOCK) != null) : null;
	}

	/**
	 * An upload taken for an append.
	 *
	 * @param takenOver whether it was taken from an append whose lease ran out (which may
	 * have stored chunks past the offset before it died); an append that ends, well or
	 * not, lets the upload go
	 */
	record Claim(Upload upload, boolean takenOver) {
	}

	/**
	 * Lets the upload go, if the database can be reached, for the next request to go on.
	 */
	void release(ObjectId id, String token) {
		try {
			this.mongo.updateFirst(held(id, token), new Update().set(LOCK, null).unset(LOCKED_UNTIL), COLLECTION);
		}
		catch (DataAccessException ex) {
			// The lease runs out by itself.
		}
	}

	/**
	 * Changes the record, as long as the holder of {@code token} still holds it.
	 * @return whether it did
	 */
	boolean commit(ObjectId id, String token, Update change) {
		return this.mongo.updateFirst(held(id, token), change, COLLECTION).getMatchedCount() > 0;
	}

	/** The change that records the format found in the first bytes. */
	static Update contentType(String contentType) {
		return new Update().set(CONTENT_TYPE, contentType);
	}

	/** The change that renews the lease until {@code until}. */
	static Update renewed(Instant until) {
		return new Update().set(LOCKED_UNTIL, Date.from(until));
	}

	/**
	 * The change after whole chunks (or the last one) are stored: the offset moves on to
	 * them, the lease is renewed, and after the last one the upload is finishing.
	 */
	static Update chunkStored(long offset, int chunks, Instant expiresAt, Instant leasedUntil, boolean last) {
		Update update = new Update().set(OFFSET, offset)
			.set(CHUNK_COUNT, chunks)
			.unset(TAIL)
			.set(EXPIRES_AT, Date.from(expiresAt))
			.set(LOCKED_UNTIL, Date.from(leasedUntil));
		if (last) {
			update.set(STATE, Upload.State.FINISHING.word());
		}
		return update;
	}

	/**
	 * The change that moves the offset on to the {@code chunks} whole chunks stored and
	 * the bytes past them, keeps those bytes, and lets the upload go.
	 */
	static Update tailKept(long offset, int chunks, byte[] tail, Instant expiresAt) {
		return new Update().set(OFFSET, offset)
			.set(CHUNK_COUNT, chunks)
			.set(TAIL, new Binary(tail))
			.set(EXPIRES_AT, Date.from(expiresAt))
			.set(LOCK, null)
			.unset(LOCKED_UNTIL);
	}

	/** The upload's video is recorded: complete, held by nobody. */
	void completed(ObjectId id, String token) {
		this.mongo.updateFirst(held(id, token),
				new Update().set(STATE, Upload.State.COMPLETE.word()).set(LOCK, null).unset(LOCKED_UNTIL).unset(TAIL),
				COLLECTION);
	}

	/**
	 * Removes the upload if it is still receiving bytes.
	 * @return whether it did
	 */
	boolean removeReceiving(ObjectId id) {
		return this.mongo.findAndRemove(query(where(ID).is(id).and(STATE).is(Upload.State.RECEIVING.word())),
				Document.class, COLLECTION) != null;
	}

	/**
	 * Uploads still receiving that expired before {@code now} and nobody holds, at most
	 * {@code limit} (index {@code expiry}).
	 */
	List<Upload> expired(Instant now, int limit) {
		return this.mongo.find(expiredQuery(now).limit(limit), Document.class, COLLECTION)
			.stream()
			.map(UploadRecords::upload)
			.toList();
	}

	/**
	 * Removes those of {@code ids} that are still expired and that nobody holds, in one
	 * removal: on the MongoDB-wire server, whose index serves only a query by every one
	 * of its keys, any query but by id alone reads the whole collection, so one per
	 * upload made the sweep quadratic.
	 * @return the ids of the uploads that are gone
	 */
	List<ObjectId> removeExpired(List<ObjectId> ids, Instant now) {
		this.mongo.remove(expiredQuery(now).addCriteria(where(ID).in(ids)), COLLECTION);
		List<ObjectId> gone = new java.util.ArrayList<>(ids);
		gone.removeAll(among(ids));
		return gone;
	}

	/** How many uploads are open: receiving, not expired (index {@code expiry}). */
	long open(Instant now) {
		return this.mongo.count(
				query(where(STATE).is(Upload.State.RECEIVING.word()).and(EXPIRES_AT).gt(Date.from(now))), COLLECTION);
	}

	/** How many of {@code client}'s uploads are open (index {@code client}). */
	long openBy(String client, Instant now) {
		return this.mongo.count(query(where(CLIENT).is(client)
			.and(STATE)
			.is(Upload.State.RECEIVING.word())
			.and(EXPIRES_AT)
			.gt(Date.from(now))), COLLECTION);
	}

	/** Forgets complete uploads whose expiry passed: their videos live on alone. */
	void forgetComplete(Instant now) {
		this.mongo.remove(query(where(STATE).is(Upload.State.COMPLETE.word()).and(EXPIRES_AT).lt(Date.from(now))),
				COLLECTION);
	}

	/** Uploads whose finishing was cut short and that nobody holds. */
	List<Upload> finishing(Instant now) {
		return this.mongo
			.find(query(where(STATE).is(Upload.State.FINISHING.word()).andOperator(free(now))), Document.class,
					COLLECTION)
			.stream()
			.map(UploadRecords::upload)
			.toList();
	}

	/** Which of {@code ids} are uploads' ids. */
	List<ObjectId> among(List<ObjectId> ids) {
		Query owners = query(where(ID).in(ids));
		owners.fields().include(ID);
		return this.mongo.find(owners, Document.class, COLLECTION)
			.stream()
			.map((owner) -> owner.getObjectId(ID))
			.toList();
	}

	private static Query expiredQuery(Instant now) {
		return query(where(STATE).is(Upload.State.RECEIVING.word())
			.and(EXPIRES_AT)
			.lt(Date.from(now))
			.andOperator(free(now)));
	}

	private static Criteria free(Instant now) {
		return new Criteria().orOperator(where(LOCK).is(null), where(LOCKED_UNTIL).lt(Date.from(now)));
	}

	private static Query held(ObjectId id, String token) {
		return query(where(ID).is(id).and(LOCK).is(token));
	}

	private static Upload upload(Document record) {
		Binary tail = record.get(TAIL, Binary.class);
		// A record made before uploads had keys has none: no address opens it.
		String key = (record.getString(KEY) != null) ? record.getString(KEY) : "";
		return new Upload(record.getObjectId(ID), key, record.getString(OWNER),
				((Number) record.get(LENGTH)).longValue(), ((Number) record.get(OFFSET)).longValue(),
				((Number) record.get(CHUNK_COUNT)).intValue(), (tail != null) ? tail.getData() : new byte[0],
				record.getString(FILENAME), record.getString(CONTENT_TYPE), record.getString(METADATA),
				record.getDate(EXPIRES_AT).toInstant(), Upload.State.of(record.getString(STATE)));
	}

}
