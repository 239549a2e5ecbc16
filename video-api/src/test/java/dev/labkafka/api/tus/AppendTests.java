package dev.labkafka.api.tus;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.InputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

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
import org.springframework.data.mongodb.core.query.Query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

/**
 * An append on the MongoDB-wire server, its stores held back or failed on purpose: the
 * next batch is read while the one before is stored, and the chunks and the offset move
 * on in order all the same.
 */
@TestInstance(Lifecycle.PER_CLASS)
class AppendTests {

	private static final int BATCH_BYTES = Append.BATCH * GridFsChunks.CHUNK_SIZE;

	private final BatchWriters writers = new BatchWriters(2);

	private final Clock clock = Clock.systemUTC();

	private MongoClient client;

	private MongoTemplate mongo;

	private UploadRecords records;

	@BeforeAll
	void connect() {
		this.client = MongoClients.create(MongoWireServer.shared().uri());
		this.mongo = new MongoTemplate(this.client, "append-tests");
		this.records = new UploadRecords(this.mongo);
	}

	@AfterAll
	void close() {
		this.writers.destroy();
		this.client.close();
	}

	@Test
	void readsTheNextBatchWhileTheOneBeforeIsStoredAndStoresEveryByteInOrder() throws Exception {
		byte[] video = ResumableUploadIntegrationTests.video(3 * BATCH_BYTES + 1000);
		CountDownLatch firstStore = new CountDownLatch(1);
		AtomicInteger stores = new AtomicInteger();
		GridFsChunks held = new GridFsChunks(this.mongo) {
			@Override
			boolean store(ObjectId file, int first, List<byte[]> data) {
				if (stores.incrementAndGet() == 1) {
					hold(firstStore);
				}
				return super.store(file, first, data);
			}
		};
		String token = UUID.randomUUID().toString();
		Upload upload = claimed(video.length, token);
		CountingBody body = new CountingBody(video);

		CompletableFuture<Upload> appended = CompletableFuture.supplyAsync(() -> append(upload, token, held, body));

		// The first batch is still being stored: the second is read all the same.
		await().atMost(Duration.ofSeconds(10)).until(() -> body.read.get() >= 2L * BATCH_BYTES);
		assertThat(appended).isNotDone();
		assertThat(this.records.find(upload.id()).offset()).isZero();
		firstStore.countDown();
		Upload done = appended.get(20, TimeUnit.SECONDS);

		assertThat(done.state()).isEqualTo(Upload.State.FINISHING);
		Upload recorded = this.records.find(upload.id());
		assertThat(recorded.offset()).isEqualTo(video.length);
		assertThat(recorded.chunks()).isEqualTo(3 * Append.BATCH + 1);
		assertThat(recorded.state()).isEqualTo(Upload.State.FINISHING);
		assertThat(storedBytes(upload.id())).isEqualTo(video);
	}

	@Test
	void aStoreThatFailsStopsTheAppendAndNothingAfterItIsStored() {
		byte[] video = ResumableUploadIntegrationTests.video(3 * BATCH_BYTES);
		AtomicInteger stores = new AtomicInteger();
		GridFsChunks takenOver = new GridFsChunks(this.mongo) {
			@Override
			boolean store(ObjectId file, int first, List<byte[]> data) {
				// As when another append, which took the upload over, wrote them first.
				return stores.incrementAndGet() > 1 && super.store(file, first, data);
			}
		};
		String token = UUID.randomUUID().toString();
		Upload upload = claimed(video.length, token);

		assertThatExceptionOfType(ProblemException.class)
			.isThrownBy(() -> append(upload, token, takenOver, new ByteArrayInputStream(video)))
			.satisfies((ex) -> assertThat(ex.is(ApiProblem.UPLOAD_BUSY)).isTrue());
		assertThat(stores).hasValue(1);
		assertThat(this.records.find(upload.id()).offset()).isZero();
		assertThat(storedBytes(upload.id())).isEmpty();
	}

	@Test
	void aBodyThatEndsEarlyWaitsForTheStoreInHandThenKeepsItsTail() {
		int sent = BATCH_BYTES + 2 * GridFsChunks.CHUNK_SIZE + 1000;
		byte[] video = ResumableUploadIntegrationTests.video(3 * BATCH_BYTES);
		CountDownLatch bodyEnded = new CountDownLatch(1);
		AtomicInteger stores = new AtomicInteger();
		GridFsChunks held = new GridFsChunks(this.mongo) {
			@Override
			boolean store(ObjectId file, int first, List<byte[]> data) {
				if (stores.incrementAndGet() == 1) {
					hold(bodyEnded);
				}
				return super.store(file, first, data);
			}
		};
		String token = UUID.randomUUID().toString();
		Upload upload = claimed(video.length, token);
		InputStream body = new FilterInputStream(new ByteArrayInputStream(video, 0, sent)) {
			@Override
			public int read(byte[] b, int off, int len) throws IOException {
				int read = super.read(b, off, len);
				if (read == -1) {
					bodyEnded.countDown();
					throw new IOException("connection reset");
				}
				return read;
			}
		};

		assertThatExceptionOfType(ProblemException.class).isThrownBy(() -> append(upload, token, held, body))
			.satisfies((ex) -> assertThat(ex.is(ApiProblem.INVALID_UPLOAD_REQUEST)).isTrue());
		Upload recorded = this.records.find(upload.id());
		assertThat(recorded.offset()).isEqualTo(sent);
		assertThat(recorded.chunks()).isEqualTo(Append.BATCH + 2);
		assertThat(recorded.tail()).hasSize(1000);
		ByteArrayOutputStream kept = new ByteArrayOutputStream();
		kept.writeBytes(storedBytes(upload.id()));
		kept.writeBytes(recorded.tail());
		assertThat(kept.toByteArray()).isEqualTo(Arrays.copyOf(video, sent));
	}

	private Upload append(Upload upload, String token, GridFsChunks chunks, InputStream body) {
		return new Append(upload, token, this.records, chunks, this.writers, this.clock, Duration.ofHours(1))
			.from(body);
	}

	/** A new upload of {@code length} bytes, held with {@code token}. */
	private Upload claimed(long length, String token) {
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
		ObjectId id = new ObjectId();
		this.records.create(id, "key", null, "client", length, "video.mp4", "", now, now.plus(Duration.ofHours(1)));
		return this.records.claim(id, 0, token, now).upload();
	}

	private byte[] storedBytes(ObjectId file) {
		Query chunks = query(where("files_id").is(file)).with(Sort.by("n"));
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		for (Document chunk : this.mongo.find(chunks, Document.class, "fs.chunks")) {
			bytes.writeBytes(chunk.get("data", Binary.class).getData());
		}
		return bytes.toByteArray();
	}

	private static void hold(CountDownLatch latch) {
		try {
			if (!latch.await(20, TimeUnit.SECONDS)) {
				throw new IllegalStateException("Not released");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** A body that counts the bytes read from it. */
	private static final class CountingBody extends FilterInputStream {

		final AtomicLong read = new AtomicLong();

		CountingBody(byte[] bytes) {
			super(new ByteArrayInputStream(bytes));
		}

		@Override
		public int read(byte[] b, int off, int len) throws IOException {
			int count = super.read(b, off, len);
			if (count > 0) {
				this.read.addAndGet(count);
			}
			return count;
		}

	}

}
