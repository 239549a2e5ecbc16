package dev.labkafka.api.tus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntConsumer;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.labkafka.api.problems.ApiProblem;
import dev.labkafka.api.problems.ProblemException;
import dev.labkafka.testsupport.MongoWireServer;
import org.bson.Document;
import org.bson.types.Binary;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

/**
 * One append on the MongoDB-wire server, looked at between its batches: its chunks are
 * stored batch by batch, and the record moves on every {@link Append#RECORD_EVERY}
 * batches, when the lease is due and when the body ends.
 */
@TestInstance(Lifecycle.PER_CLASS)
class AppendTests {

	private static final int BATCH_BYTES = Append.BATCH * GridFsChunks.CHUNK_SIZE;

	private static final Duration EXPIRATION = Duration.ofHours(1);

	private MongoClient client;

	private MongoTemplate mongo;

	private UploadRecords records;

	private GridFsChunks chunks;

	@BeforeAll
	void connect() {
		this.client = MongoClients.create(MongoWireServer.shared().uri());
		this.mongo = new MongoTemplate(this.client, "append-tests");
		this.records = new UploadRecords(this.mongo);
		this.chunks = new GridFsChunks(this.mongo);
	}

	@AfterAll
	void close() {
		this.client.close();
	}

	@Test
	void theRecordMovesOnEverySixteenBatchesAndABodyThatEndsEarlyRecordsEveryChunkItStored() {
		int storedBatches = 2 * Append.RECORD_EVERY + 1;
		byte[] video = ResumableUploadIntegrationTests.video((storedBatches + 3) * BATCH_BYTES + 5000);
		int sent = storedBatches * BATCH_BYTES + 1000;
		Clock clock = Clock.fixed(Instant.now().truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC);
		String token = UUID.randomUUID().toString();
		Upload upload = claimed(video.length, token, clock);
		Map<Integer, Long> recordedAfter = new HashMap<>();
		Body body = new Body(video, 0, sent, (read) -> recordedAfter.put(read, offset(upload.id())));

		assertThatExceptionOfType(ProblemException.class).isThrownBy(() -> append(upload, token, clock).from(body))
			.satisfies((ex) -> assertThat(ex.is(ApiProblem.INVALID_UPLOAD_REQUEST)).isTrue());

		for (int read = 1; read <= storedBatches; read++) {
			long recorded = (long) (read / Append.RECORD_EVERY) * Append.RECORD_EVERY * BATCH_BYTES;
			assertThat(recordedAfter).containsEntry(read, recorded);
		}
		// The body broke off: the chunks stored since are recorded, with the bytes past
		// them.
		Upload kept = this.records.find(upload.id());
		assertThat(kept.offset()).isEqualTo(sent);
		assertThat(kept.chunks()).isEqualTo(storedBatches * Append.BATCH);
		assertThat(kept.tail()).hasSize(1000);
		assertThat(storedBytes(upload.id())).hasSize(storedBatches * BATCH_BYTES);

		// The client sends the rest from the offset it is told.
		String next = UUID.randomUUID().toString();
		UploadRecords.Claim claim = this.records.claim(upload.id(), sent, next, clock.instant());
		assertThat(claim).isNotNull();
		assertThat(claim.takenOver()).isFalse();
		Upload done = append(claim.upload(), next, clock).from(new Body(video, sent, video.length, (read) -> {
		}));

		assertThat(done.state()).isEqualTo(Upload.State.FINISHING);
		assertThat(this.records.find(upload.id()).offset()).isEqualTo(video.length);
		assertThat(storedBytes(upload.id())).isEqualTo(video);
	}

	@Test
	void theRecordMovesOnWithTheLeaseBeforeSixteenBatches() {
		byte[] video = ResumableUploadIntegrationTests.video(4 * BATCH_BYTES + 100);
		MovingClock clock = new MovingClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
		String token = UUID.randomUUID().toString();
		Upload upload = claimed(video.length, token, clock);
		Map<Integer, Long> recordedAfter = new HashMap<>();
		Body body = new Body(video, 0, video.length, (read) -> {
			recordedAfter.put(read, offset(upload.id()));
			if (read == 2) {
				// The body slows down: the lease is due before the next batch.
				clock.add(UploadRecords.LEASE.dividedBy(2));
			}
		});

		Upload done = append(upload, token, clock).from(body);

		assertThat(recordedAfter).containsEntry(1, 0L)
			.containsEntry(2, 0L)
			.containsEntry(3, 2L * BATCH_BYTES)
			.containsEntry(4, 2L * BATCH_BYTES);
		assertThat(done.state()).isEqualTo(Upload.State.FINISHING);
		assertThat(storedBytes(upload.id())).isEqualTo(video);
	}

	@Test
	void aBodyThatBreaksOffAfterItsUploadWasTakenOverStoresNothingMore() {
		byte[] video = ResumableUploadIntegrationTests.video(4 * BATCH_BYTES);
		int sent = 2 * BATCH_BYTES + GridFsChunks.CHUNK_SIZE + 1000;
		MovingClock clock = new MovingClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
		String token = UUID.randomUUID().toString();
		Upload upload = claimed(video.length, token, clock);
		Body body = new Body(video, 0, sent, (read) -> {
		}, () -> {
			// The client went quiet for longer than the lease, and its retry took the
			// upload over before this append's read failed.
			clock.add(UploadRecords.LEASE.plusSeconds(1));
			assertThat(this.records.claim(upload.id(), 0, "the retry", clock.instant()).takenOver()).isTrue();
		});

		assertThatExceptionOfType(ProblemException.class).isThrownBy(() -> append(upload, token, clock).from(body))
			.satisfies((ex) -> assertThat(ex.is(ApiProblem.UPLOAD_BUSY)).isTrue());

		// The two batches it stored are the retry's to remove; the whole chunk after them
		// was not stored where the retry writes.
		assertThat(storedBytes(upload.id())).hasSize(2 * BATCH_BYTES);
		assertThat(this.records.find(upload.id()).offset()).isZero();
	}

	@Test
	void anAppendThatStartsWellAfterItsClaimRenewsTheLeaseAtItsFirstBytes() {
		byte[] video = ResumableUploadIntegrationTests.video(2 * BATCH_BYTES + 100);
		MovingClock clock = new MovingClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
		String token = UUID.randomUUID().toString();
		Upload upload = claimed(video.length, token, clock);
		Instant claimedAt = clock.instant();
		// The chunks an append that died left past the offset took this long to remove.
		clock.add(UploadRecords.LEASE.dividedBy(2));
		Map<Integer, Date> leasedUntil = new HashMap<>();
		Body body = new Body(video, 0, video.length, (read) -> leasedUntil.put(read,
				this.mongo.findById(upload.id(), Document.class, UploadRecords.COLLECTION).getDate("lockedUntil")));

		new Append(upload, token, claimedAt, this.records, this.chunks, clock, EXPIRATION).from(body);

		assertThat(leasedUntil).containsEntry(1, Date.from(clock.instant().plus(UploadRecords.LEASE)));
	}

	private Append append(Upload upload, String token, Clock clock) {
		return new Append(upload, token, clock.instant(), this.records, this.chunks, clock, EXPIRATION);
	}

	private Upload claimed(long length, String token, Clock clock) {
		Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
		Upload created = this.records.create(new ObjectId(), "K".repeat(32), null, "client", length, "clip.mp4", "",
				now, now.plus(EXPIRATION));
		return this.records.claim(created.id(), 0, token, now).upload();
	}

	private long offset(ObjectId id) {
		return this.records.find(id).offset();
	}

	private byte[] storedBytes(ObjectId id) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		this.mongo.find(query(where("files_id").is(id)).with(Sort.by("n")), Document.class, "fs.chunks")
			.forEach((chunk) -> bytes.writeBytes(chunk.get("data", Binary.class).getData()));
		return bytes.toByteArray();
	}

	/**
	 * A body of the video's bytes from {@code from} to {@code end}, which breaks off
	 * there if that is before the video's end (after calling {@code beforeBreaking}). Its
	 * reads stop at each batch's end, and before the read after batch {@code n} it calls
	 * {@code afterBatch} with {@code n}: that batch is stored by then.
	 */
	private static final class Body extends InputStream {

		private final byte[] video;

		private final int end;

		private final IntConsumer afterBatch;

		private final Runnable beforeBreaking;

		private int position;

		private int told;

		Body(byte[] video, int from, int end, IntConsumer afterBatch) {
			this(video, from, end, afterBatch, () -> {
			});
		}

		Body(byte[] video, int from, int end, IntConsumer afterBatch, Runnable beforeBreaking) {
			this.video = video;
			this.position = from;
			this.end = end;
			this.afterBatch = afterBatch;
			this.beforeBreaking = beforeBreaking;
			this.told = from / BATCH_BYTES;
		}

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			return (read(one, 0, 1) == -1) ? -1 : one[0] & 0xff;
		}

		@Override
		public int read(byte[] into, int offset, int length) throws IOException {
			if (this.position == this.end) {
				if (this.end < this.video.length) {
					this.beforeBreaking.run();
					throw new IOException("The client went away");
				}
				return -1;
			}
			if (this.position % BATCH_BYTES == 0 && this.position / BATCH_BYTES > this.told) {
				this.told = this.position / BATCH_BYTES;
				this.afterBatch.accept(this.told);
			}
			int batchEnd = (this.position / BATCH_BYTES + 1) * BATCH_BYTES;
			int count = Math.min(Math.min(length, 64 * 1024), Math.min(this.end, batchEnd) - this.position);
			System.arraycopy(this.video, this.position, into, offset, count);
			this.position += count;
			return count;
		}

	}

	/** A clock that moves only when told to. */
	private static final class MovingClock extends Clock {

		private Instant now;

		MovingClock(Instant now) {
			this.now = now;
		}

		void add(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public Instant instant() {
			return this.now;
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			throw new UnsupportedOperationException();
		}

	}

}
