package dev.labkafka.api;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;

import dev.labkafka.messages.Topics;
import dev.labkafka.testsupport.MultipartBody;
import dev.labkafka.testsupport.SampleVideos;
import dev.labkafka.testsupport.TestKafka;
import dev.labkafka.videos.QueuedRecord;
import dev.labkafka.videos.VideoFields;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The API's features over real HTTP, on a real Kafka broker and a MongoDB-wire server.
 */
class VideoApiIntegrationTests extends ApiIntegrationTests {

	@Test
	void storesAnUploadAndPutsAScaleZeroMessageOnTheTopic() {
		try (Consumer<String, String> consumer = this.kafka.subscribed(Topics.VIDEOS)) {
			ResponseEntity<String> response = upload("clip.mp4", SampleVideos.mp4());

			assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CREATED);
			JsonNode video = json.readTree(response.getBody());
			String id = video.get("id").asString();
			assertThat(response.getHeaders().getLocation()).hasToString("/v1/videos/" + id);
			Document stored = this.videos.find(id);
			assertThat(stored).isNotNull();
			assertThat(stored.getString("status")).isEqualTo("uploaded");
			assertThat(stored.get("size", Number.class).longValue()).isEqualTo(SampleVideos.mp4().length);
			assertThat(stored.get("variants", Map.class)).isEmpty();
			assertThat(stored.getString("url")).isEqualTo("http://localhost:10080/v1/videos/" + id + "/content");
			assertThat(stored).containsKeys("created_at", "updated_at");
			assertThat(stored).as("no Java class names in the database").doesNotContainKey("_class");

			ConsumerRecord<String, String> message = TestKafka
				.awaitRecords(consumer, (record) -> id.equals(record.key()), 1)
				.get(0);
			assertThat(json.readTree(message.value())).isEqualTo(
					json.readTree("{\"id\":\"%s\",\"url\":\"%s\",\"scale\":0}".formatted(id, stored.getString("url"))));
			assertThat(message.headers().toArray()).extracting(Header::key)
				.as("no Java type names on the wire, only the trace context, with the video's id in its baggage")
				.containsOnly("traceparent", "baggage", "videoid");
			assertThat(new String(message.headers().lastHeader("baggage").value(), StandardCharsets.UTF_8))
				.isEqualTo("videoId=" + id);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(this.videos.find(id).get(VideoFields.ANNOUNCEMENT, Document.class))
					.as("out of the outbox, with where Kafka put it")
					.containsEntry(QueuedRecord.TOPIC, Topics.VIDEOS)
					.containsEntry(QueuedRecord.PARTITION, message.partition())
					.containsEntry(QueuedRecord.OFFSET, message.offset()));
			assertThat(this.videos.find(id)).doesNotContainKey(VideoFields.ANNOUNCE_AT);
		}
	}

	@Test
	void servesTheStoredBytesWholeAndByRange() {
		byte[] sample = SampleVideos.mp4();
		String id = idOf(upload("clip.mp4", sample));

		ResponseEntity<byte[]> whole = this.http.get()
			.uri("/v1/videos/{id}/content", id)
			.retrieve()
			.toEntity(byte[].class);
		assertThat(whole.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(whole.getHeaders().getContentType()).isEqualTo(MediaType.parseMediaType("video/mp4"));
		assertThat(whole.getBody()).isEqualTo(sample);

		ResponseEntity<byte[]> range = this.http.get()
			.uri("/v1/videos/{id}/content", id)
			.header(HttpHeaders.RANGE, "bytes=1000-1999")
			.retrieve()
			.toEntity(byte[].class);
		assertThat(range.getStatusCode()).isEqualTo(HttpStatus.PARTIAL_CONTENT);
		assertThat(range.getHeaders().getFirst(HttpHeaders.CONTENT_RANGE))
			.isEqualTo("bytes 1000-1999/" + sample.length);
		assertThat(range.getBody()).isEqualTo(Arrays.copyOfRange(sample, 1000, 2000));

		ResponseEntity<byte[]> unsatisfiable = this.http.get()
			.uri("/v1/videos/{id}/content", id)
			.header(HttpHeaders.RANGE, "bytes=" + sample.length + "-")
			.retrieve()
			.toEntity(byte[].class);
		assertThat(unsatisfiable.getStatusCode()).isEqualTo(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE);
	}

	@Test
	void listsVideosNewestFirst() {
		String older = idOf(upload("one.mp4", SampleVideos.mp4()));
		String newer = idOf(upload("two.mp4", SampleVideos.mp4()));

		JsonNode page = json.readTree(this.http.get().uri("/v1/videos?limit=2").retrieve().body(String.class));

		assertThat(page.get("videos").valueStream().map((video) -> video.get("id").asString())).containsExactly(newer,
				older);
		JsonNode second = json.readTree(this.http.get().uri("/v1/videos?limit=1&skip=1").retrieve().body(String.class));
		assertThat(second.get("videos").get(0).get("id").asString()).isEqualTo(older);
	}

	@Test
	void deletesTheDocumentAndItsBytes() {
		String id = idOf(upload("clip.mp4", SampleVideos.mp4()));
		assertThat(chunksOf(id)).isPositive();

		ResponseEntity<String> deleted = this.http.delete()
			.uri("/v1/videos/{id}", id)
			.retrieve()
			.toEntity(String.class);

		assertThat(deleted.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(deleted.getBody()).isEqualTo("{}");
		assertThat(this.videos.find(id)).isNull();
		assertThat(database().getCollection("fs.files").countDocuments(new Document("_id", new ObjectId(id)))).isZero();
		assertThat(chunksOf(id)).isZero();
		assertThat(this.http.get().uri("/v1/videos/{id}", id).retrieve().toBodilessEntity().getStatusCode())
			.isEqualTo(HttpStatus.NOT_FOUND);
	}

	@Test
	void streamsAnUploadIntoGridFsAsItArrives() throws Exception {
		// Just over one GridFS chunk (255 KiB).
		byte[] video = Arrays.copyOf(SampleVideos.mp4(), 262_000);
		int firstChunk = 255 * 1024 + 100;
		String head = MultipartBody.head("file", "streamed.mp4");
		String tail = "\r\n--" + MultipartBody.BOUNDARY + "--\r\n";
		long chunksBefore = storedCounts()[2];
		try (Socket socket = new Socket("localhost", this.port)) {
			OutputStream out = socket.getOutputStream();
			out.write(MultipartBody.requestHead(head.length() + video.length + tail.length()));
			out.write(head.getBytes(StandardCharsets.ISO_8859_1));
			out.write(video, 0, firstChunk);
			out.flush();

			// The first chunk is in GridFS while the client still holds back the rest.
			await().atMost(Duration.ofSeconds(10)).until(() -> storedCounts()[2] > chunksBefore);

			out.write(video, firstChunk, video.length - firstChunk);
			out.write(tail.getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
			assertThat(answer).startsWith("HTTP/1.1 201").contains("\"size\":262000");
		}
	}

	@Test
	void refusesAnUploadOverTheLimitWithNothingStored() {
		long[] before = storedCounts();
		// Several GridFS chunks are written before the limit is reached.
		byte[] tooLarge = Arrays.copyOf(SampleVideos.mp4(), MAX_FILE_SIZE + 512 * 1024);

		ResponseEntity<String> response = upload("huge.mp4", tooLarge);

		assertThat(response.getStatusCode().value()).isEqualTo(413);
		assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(json.readTree(response.getBody()).get("status").asInt()).isEqualTo(413);
		assertThat(storedCounts()).as("videos, fs.files, fs.chunks").containsExactly(before);
	}

	@Test
	void refusesBytesThatAreNotAVideoWithNothingStored() {
		long[] before = storedCounts();

		ResponseEntity<String> response = upload("movie.mp4", "MZ this is really an executable".getBytes());

		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
		assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(storedCounts()).as("videos, fs.files, fs.chunks").containsExactly(before);
	}

	@Test
	void retriesAFailedVideoThroughThePipeline() {
		String id = idOf(upload("clip.mp4", SampleVideos.mp4()));
		this.videos.set(id, new Document("status", "failed").append("error", "Gave up on rendition 720: disk full")
			.append(VideoFields.FAN_OUT, "videos-0@7"));
		assertThat(json.readTree(this.http.get().uri("/v1/videos/{id}", id).retrieve().body(String.class))
			.get("error")
			.asString()).contains("disk full");

		try (Consumer<String, String> consumer = this.kafka.subscribed(Topics.VIDEOS)) {
			ResponseEntity<String> retried = this.http.post()
				.uri("/v1/videos/{id}/retry", id)
				.retrieve()
				.toEntity(String.class);

			assertThat(retried.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
			JsonNode video = json.readTree(retried.getBody());
			assertThat(video.get("status").asString()).isEqualTo("uploaded");
			assertThat(video.has("error")).isFalse();
			assertThat(TestKafka.awaitRecords(consumer, (record) -> id.equals(record.key()), 2))
				.as("the upload's announcement, then the retry's")
				.hasSize(2);
		}
		assertThat(this.videos.find(id).getString(VideoFields.FAN_OUT)).as("the worker's field, left alone")
			.isEqualTo("videos-0@7");
		assertThat(this.http.post().uri("/v1/videos/{id}/retry", id).retrieve().toBodilessEntity().getStatusCode())
			.as("only a failed video can be retried")
			.isEqualTo(HttpStatus.CONFLICT);
	}

	@Test
	void sendsAnUploadedVideoWhoseAnnouncementWasConsumedWithoutEffectThroughAgain() {
		String id = idOf(upload("clip.mp4", SampleVideos.mp4()));
		QueuedRecord announcement = awaitAnnouncement(id);
		// The fan-out took the announcement (and gave up on it without a trace).
		this.kafka.commit(Topics.FAN_OUT_GROUP, announcement.topic(), announcement.partition(),
				announcement.offset() + 1);

		try (Consumer<String, String> consumer = this.kafka.subscribed(Topics.VIDEOS)) {
			makeQuiet(id);
			assertThat(TestKafka.awaitRecords(consumer, (record) -> id.equals(record.key()), 2))
				.as("the upload's announcement, then the re-drive's")
				.hasSize(2);
		}
		Document redriven = this.videos.find(id);
		assertThat(redriven.getString("status")).isEqualTo("uploaded");
		assertThat(redriven.getDate(VideoFields.UPDATED_AT)).isAfter(Date.from(Instant.now().minusSeconds(60)));
	}

	@Test
	void leavesAVideoWaitingInABacklogAloneHoweverLong() {
		String id = idOf(upload("clip.mp4", SampleVideos.mp4()));
		QueuedRecord announcement = awaitAnnouncement(id);
		// The fan-out is busy with what came before: it has not reached this video yet.
		this.kafka.commit(Topics.FAN_OUT_GROUP, announcement.topic(), announcement.partition(), announcement.offset());

		try (Consumer<String, String> consumer = this.kafka.subscribed(Topics.VIDEOS)) {
			Date quietSince = makeQuiet(id);
			TestKafka.awaitRecords(consumer, (record) -> id.equals(record.key()), 1);
			await().during(Duration.ofSeconds(3))
				.atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(consumer.poll(Duration.ofMillis(100)).records(Topics.VIDEOS))
					.noneMatch((record) -> id.equals(record.key())));
			assertThat(this.videos.find(id).getDate(VideoFields.UPDATED_AT)).isEqualTo(quietSince);
		}
	}

	@Test
	void sendsAnEncodingVideoWhoseRenditionsWereConsumedWithoutEffectThroughAgain() {
		String id = idOf(upload("clip.mp4", SampleVideos.mp4()));
		awaitAnnouncement(id);
		RecordMetadata rendition = this.kafka.send(Topics.RENDITIONS, id, "{}");
		encoding(id, rendition);
		this.kafka.commit(Topics.RENDITIONS_GROUP, rendition.topic(), rendition.partition(), rendition.offset() + 1);

		try (Consumer<String, String> consumer = this.kafka.subscribed(Topics.VIDEOS)) {
			makeQuiet(id);
			assertThat(TestKafka.awaitRecords(consumer, (record) -> id.equals(record.key()), 2)).hasSize(2);
		}
		Document redriven = this.videos.find(id);
		assertThat(redriven.getString("status")).isEqualTo("uploaded");
		assertThat(redriven.get("variants", Document.class)).as("what was done is kept").containsKey("360");
		assertThat(redriven.getString(VideoFields.FAN_OUT)).as("the worker's field, left alone")
			.isEqualTo("videos-1@3");
	}

	@Test
	void sendsAVideoWhoseMessagesAreGoneFromTheLogThroughAgain() {
		String id = idOf(upload("clip.mp4", SampleVideos.mp4()));
		awaitAnnouncement(id);
		RecordMetadata rendition = this.kafka.send(Topics.RENDITIONS, id, "{}");
		encoding(id, rendition);
		// Never consumed, but removed by retention.
		this.kafka.deleteRecordsBefore(rendition.topic(), rendition.partition(), rendition.offset() + 1);

		try (Consumer<String, String> consumer = this.kafka.subscribed(Topics.VIDEOS)) {
			makeQuiet(id);
			assertThat(TestKafka.awaitRecords(consumer, (record) -> id.equals(record.key()), 2)).hasSize(2);
		}
		assertThat(this.videos.status(id)).isEqualTo("uploaded");
	}

	@Test
	void leavesARenditionWaitingForItsRetryAloneUntilItsRetryIsConsumed() {
		String id = idOf(upload("clip.mp4", SampleVideos.mp4()));
		awaitAnnouncement(id);
		// The rendition failed once: it left the renditions topic for the first retry
		// topic.
		RecordMetadata first = this.kafka.send(Topics.RENDITIONS, id, "{}");
		this.kafka.commit(Topics.RENDITIONS_GROUP, first.topic(), first.partition(), first.offset() + 1);
		RecordMetadata retry = this.kafka.send(Topics.RENDITIONS + "-retry-0", id, "{}");
		encoding(id, retry);

		try (Consumer<String, String> consumer = this.kafka.subscribed(Topics.VIDEOS)) {
			Date quietSince = makeQuiet(id);
			TestKafka.awaitRecords(consumer, (record) -> id.equals(record.key()), 1);
			await().during(Duration.ofSeconds(2))
				.atMost(Duration.ofSeconds(4))
				.untilAsserted(() -> assertThat(this.videos.find(id).getDate(VideoFields.UPDATED_AT))
					.as("waiting for its retry")
					.isEqualTo(quietSince));

			this.kafka.commit("video-stream.renditions-retry-0", retry.topic(), retry.partition(), retry.offset() + 1);
			assertThat(TestKafka.awaitRecords(consumer, (record) -> id.equals(record.key()), 1))
				.as("the retry consumed without effect: sent through again")
				.isNotEmpty();
		}
		assertThat(this.videos.status(id)).isEqualTo("uploaded");
	}

	@Test
	void sendsVideosWhoseMessagesAreNotInTheLogThroughAgainEachOnItsOwn() {
		String beyondTheEnd = idOf(upload("one.mp4", SampleVideos.mp4()));
		String noSuchPartition = idOf(upload("two.mp4", SampleVideos.mp4()));
		awaitAnnouncement(beyondTheEnd);
		awaitAnnouncement(noSuchPartition);
		RecordMetadata last = this.kafka.send(Topics.RENDITIONS, beyondTheEnd, "{}");
		// The topic was made anew, or its data lost: the place the document keeps is past
		// the end of the log, or on a partition that does not exist.
		encoding(beyondTheEnd, new RecordMetadata(new TopicPartition(last.topic(), last.partition()),
				last.offset() + 1000, 0, 0, 0, 0));
		encoding(noSuchPartition, new RecordMetadata(new TopicPartition(Topics.RENDITIONS, 999), 0, 0, 0, 0, 0));

		try (Consumer<String, String> consumer = this.kafka.subscribed(Topics.VIDEOS)) {
			makeQuiet(beyondTheEnd);
			makeQuiet(noSuchPartition);
			assertThat(TestKafka.awaitRecords(consumer,
					(record) -> beyondTheEnd.equals(record.key()) || noSuchPartition.equals(record.key()), 4))
				.extracting(ConsumerRecord::key)
				.contains(beyondTheEnd, noSuchPartition);
		}
	}

	@Test
	void aDocumentWrittenByHandDoesNotStopTheSearchForStuckVideos() {
		// Only what a person might type in mongosh: no url, no sizes, no announcement.
		ObjectId byHand = new ObjectId();
		this.videos.collection()
			.insertOne(new Document(VideoFields.ID, byHand).append(VideoFields.STATUS, "encoding")
				.append(VideoFields.UPDATED_AT, Date.from(Instant.now().minus(Duration.ofHours(2)))));
		String id = idOf(upload("clip.mp4", SampleVideos.mp4()));
		QueuedRecord announcement = awaitAnnouncement(id);
		this.kafka.commit(Topics.FAN_OUT_GROUP, announcement.topic(), announcement.partition(),
				announcement.offset() + 1);

		try (Consumer<String, String> consumer = this.kafka.subscribed(Topics.VIDEOS)) {
			makeQuiet(id);
			assertThat(TestKafka.awaitRecords(consumer, (record) -> id.equals(record.key()), 2)).hasSize(2);
		}
		this.videos.collection().deleteOne(new Document(VideoFields.ID, byHand));
	}

	/** Waits until Kafka has the video's announcement, and returns where it is. */
	private QueuedRecord awaitAnnouncement(String id) {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.videos.find(id).get(VideoFields.ANNOUNCEMENT, Document.class) != null);
		Document announcement = this.videos.find(id).get(VideoFields.ANNOUNCEMENT, Document.class);
		return new QueuedRecord(announcement.getString(QueuedRecord.TOPIC),
				announcement.getInteger(QueuedRecord.PARTITION),
				announcement.get(QueuedRecord.OFFSET, Number.class).longValue());
	}

	/**
	 * The video as the worker leaves it once fanned out, its one missing rendition at
	 * {@code where}.
	 */
	private void encoding(String id, RecordMetadata where) {
		this.videos.set(id,
				new Document("status", "encoding").append(VideoFields.FAN_OUT, "videos-1@3")
					.append("variants",
							new Document("360", "http://x").append("480", "http://x").append("720", "http://x"))
					.append(VideoFields.RENDITIONS_QUEUED,
							new Document("1080",
									new Document(QueuedRecord.TOPIC, where.topic())
										.append(QueuedRecord.PARTITION, where.partition())
										.append(QueuedRecord.OFFSET, where.offset()))));
	}

	/** Makes the video look unchanged for an hour; returns that time. */
	private Date makeQuiet(String id) {
		Date anHourAgo = Date.from(Instant.now().minus(Duration.ofHours(1)));
		this.videos.set(id, new Document(VideoFields.UPDATED_AT, anHourAgo));
		return anHourAgo;
	}

}
