package dev.labkafka.stream.progress;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import dev.labkafka.messages.VideoMessage;
import dev.labkafka.stream.VideoStreamApplication;
import dev.labkafka.testsupport.EmbeddedInfrastructure;
import dev.labkafka.testsupport.StoredVideos;
import dev.labkafka.videos.QueuedRecord;
import dev.labkafka.videos.Rendition;
import dev.labkafka.videos.Video;
import dev.labkafka.videos.VideoFields;
import dev.labkafka.videos.VideoStatus;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.mongodb.MongoDatabaseFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the worker writes in a video's document, through the application's own MongoDB
 * mapping, read back raw as any MongoDB client (the API, mongosh) reads it: the original
 * lab's field names and status words, the shapes of {@code renditions} and
 * {@code renditions_queued}, and no {@code _class} anywhere; and what each change says it
 * changed. The documents start as the API stores an upload.
 */
@SpringBootTest(properties = { VideoStreamApplication.CONFIG_NAME, "video.stream.transcode-time=1s" })
@EmbeddedInfrastructure
class VideosTests {

	@Autowired
	MongoDatabaseFactory databases;

	@Autowired
	Videos repository;

	StoredVideos videos;

	@BeforeEach
	void videos() {
		this.videos = new StoredVideos(this.databases.getMongoDatabase());
	}

	@Test
	void aClaimedFanOutIsEncodingWithWhereItsRenditionMessagesWent() {
		String id = this.videos.insertUploaded();

		Video claimed = this.repository.claimFanOut(id, "videos-1@7");
		this.repository.queued(id, "videos-1@7", Map.of(480, new QueuedRecord("video-renditions", 5, 42), 720,
				new QueuedRecord("video-renditions", 9, 43)));
		this.repository.requeued(id, 480, new QueuedRecord("video-renditions-retry-0", 5, 3_000_000_000L));

		assertThat(claimed).isNotNull();
		assertThat(claimed.status()).isEqualTo(VideoStatus.ENCODING);
		assertThat(claimed.fanOut()).isEqualTo("videos-1@7");
		Document video = this.videos.find(id);
		assertThat(video.get(VideoFields.STATUS)).isEqualTo("encoding");
		assertThat(video.get(VideoFields.FAN_OUT)).isEqualTo("videos-1@7");
		assertThat(video.get(VideoFields.UPDATED_AT)).isInstanceOf(Date.class);
		Document queued = video.get(VideoFields.RENDITIONS_QUEUED, Document.class);
		assertThat(queued).containsOnlyKeys("480", "720");
		assertThat(queued.get("720", Document.class)).containsExactlyInAnyOrderEntriesOf(
				Map.of(QueuedRecord.TOPIC, "video-renditions", QueuedRecord.PARTITION, 9, QueuedRecord.OFFSET, 43L));
		Document requeued = queued.get("480", Document.class);
		assertThat(requeued.keySet()).containsExactly(QueuedRecord.TOPIC, QueuedRecord.PARTITION, QueuedRecord.OFFSET);
		assertThat(requeued.get(QueuedRecord.PARTITION)).isInstanceOf(Integer.class);
		assertThat(requeued.get(QueuedRecord.OFFSET)).isEqualTo(3_000_000_000L);
		assertThat(classKeys(video)).isEmpty();
	}

	@Test
	void theWarmUpChangesNoVideo() {
		String uploaded = this.videos.insertUploaded();
		String encoding = this.videos.insertUploaded();
		this.repository.claimFanOut(encoding, "warm-up");
		VideoMessage.RENDITION_SCALES.forEach((scale) -> this.repository.recordVariant(encoding, scale, "u", null));
		this.videos.set(encoding, new Document(VideoFields.PROBE, VideoFields.PROBE_DONE));
		List<Document> before = this.videos.collection().find().into(new ArrayList<>());

		this.repository.warmUp();

		assertThat(this.videos.collection().find().into(new ArrayList<>())).isEqualTo(before);
		assertThat(this.videos.status(uploaded)).isEqualTo("uploaded");
		assertThat(this.videos.status(encoding)).isEqualTo("encoding");
	}

	@Test
	void tellsWhichOfSomeVideosStillExistInOneQuery() {
		String kept = this.videos.insertUploaded();
		String deleted = this.videos.insertUploaded();
		this.videos.collection().deleteOne(new Document(VideoFields.ID, new ObjectId(deleted)));

		assertThat(this.repository.existing(List.of(kept, deleted, new ObjectId().toHexString())))
			.containsExactly(kept);
	}

	@Test
	void aVideoIsClaimedWhileUploadedOrByTheRecordThatClaimedIt() {
		String id = this.videos.insertUploaded();
		this.videos.set(id, new Document(VideoFields.variant(480), "http://api/x"));

		Video claimed = this.repository.claimFanOut(id, "videos-0@1");

		assertThat(claimed).isNotNull();
		assertThat(claimed.doneVariants()).containsOnlyKeys("480");
		assertThat(this.repository.claimFanOut(id, "videos-0@2")).as("another record: a repeat").isNull();
		assertThat(this.repository.claimFanOut(id, "videos-0@1")).as("the same record, redelivered").isNotNull();
		assertThat(this.repository.claimFanOut(new ObjectId().toHexString(), "videos-0@1")).as("gone").isNull();
	}

	@Test
	void renditionsAreStoredUnderTheDocumentsFieldNamesAndTheLastOneCompletesTheVideo() {
		String id = this.videos.insertUploaded();
		this.repository.claimFanOut(id, "videos-0@3");
		this.videos.set(id, new Document(VideoFields.ERROR, "an earlier attempt"));

		this.repository.recordVariant(id, 360, "http://api/360", Rendition.encoded(320, 240, 2.02));
		this.repository.recordVariant(id, 480, "http://api/360", Rendition.sameAs(360));
		Video partial = this.repository.recordVariant(id, 720, "http://api/x", null);
		assertThat(this.repository.completeIfDone(id, false)).as("one rendition missing").isFalse();
		Video whole = this.repository.recordVariant(id, 1080, "http://api/360", Rendition.sameAs(360));

		assertThat(partial.hasEveryVariant()).isFalse();
		assertThat(whole.hasEveryVariant()).isTrue();
		assertThat(this.videos.find(id).get(VideoFields.STATUS)).isEqualTo("encoding");
		assertThat(this.repository.completeIfDone(id, false)).isTrue();
		assertThat(this.repository.completeIfDone(id, false)).as("done already").isFalse();
		Document video = this.videos.find(id);
		assertThat(video.get(VideoFields.STATUS)).isEqualTo("success");
		assertThat(video).doesNotContainKey(VideoFields.ERROR);
		assertThat(video.get(VideoFields.VARIANTS, Document.class)).containsExactlyInAnyOrderEntriesOf(Map.of("360",
				"http://api/360", "480", "http://api/360", "720", "http://api/x", "1080", "http://api/360"));
		Document renditions = video.get(VideoFields.RENDITIONS, Document.class);
		assertThat(renditions).as("the mock's rendition says nothing").containsOnlyKeys("360", "480", "1080");
		assertThat(renditions.get("360", Document.class)).containsExactlyInAnyOrderEntriesOf(Map.of(VideoFields.ENCODED,
				true, VideoFields.WIDTH, 320, VideoFields.HEIGHT, 240, VideoFields.DURATION, 2.02));
		assertThat(renditions.get("480", Document.class))
			.containsExactlyInAnyOrderEntriesOf(Map.of(VideoFields.ENCODED, false, VideoFields.SAME_AS, 360));
		assertThat(classKeys(video)).isEmpty();
		assertThat(this.repository.recordVariant(new ObjectId().toHexString(), 360, "u", null)).as("gone").isNull();
	}

	@Test
	void onlyTheFourRenditionScalesCompleteAVideo() {
		String id = this.videos.insertUploaded();
		this.repository.claimFanOut(id, "videos-0@4");
		this.videos.set(id,
				new Document(VideoFields.VARIANTS, new Document("360", "u").append("480", "u").append("2160", "u")));

		Video video = this.repository.recordVariant(id, 720, "u", null);

		assertThat(video.hasEveryVariant()).isFalse();
		assertThat(this.repository.completeIfDone(id, false)).isFalse();
		assertThat(this.videos.find(id).get(VideoFields.STATUS)).isEqualTo("encoding");
	}

	@Test
	void readsOnlyWhichRenditionsAreDone() {
		String id = this.videos.insertUploaded();
		this.videos.set(id, new Document(VideoFields.variant(480), "http://api/x"));
		String without = this.videos.insertUploaded();
		this.videos.collection()
			.updateOne(new Document(VideoFields.ID, new ObjectId(without)),
					new Document("$unset", new Document(VideoFields.VARIANTS, "")));

		assertThat(this.repository.variants(id)).containsExactlyEntriesOf(Map.of("480", "http://api/x"));
		assertThat(this.repository.variants(without)).isEmpty();
		assertThat(this.repository.variants(new ObjectId().toHexString())).as("gone").isNull();
	}

	@Test
	void whatTheProbeFoundIsStoredAsNumbersAndAFlag() {
		String id = this.videos.insertUploaded();

		assertThat(this.repository.probed(id)).isFalse();
		assertThat(this.repository.recordMedia(id, 640, 480, 2.5, true)).isTrue();

		Document video = this.videos.find(id);
		assertThat(video.get(VideoFields.WIDTH)).isEqualTo(640);
		assertThat(video.get(VideoFields.HEIGHT)).isEqualTo(480);
		assertThat(video.get(VideoFields.DURATION)).isEqualTo(2.5);
		assertThat(video.get(VideoFields.THUMBNAIL)).isEqualTo(true);
		assertThat(video.get(VideoFields.PROBE)).isEqualTo("done");
		assertThat(this.repository.probed(id)).isTrue();
		assertThat(classKeys(video)).isEmpty();
		String gone = new ObjectId().toHexString();
		assertThat(this.repository.recordMedia(gone, 640, 480, 2.5, false)).isFalse();
	}

	@Test
	void whereVideosAreProbedAVideoIsDoneOnlyOnceItsProbeIsDoneOrSkipped() {
		String probed = everyVariant();
		String skipped = everyVariant();
		String unread = everyVariant();

		assertThat(this.repository.completeIfDone(probed, true)).as("not probed yet").isFalse();
		assertThat(this.repository.recordMedia(probed, 640, 480, 2.5, false)).isTrue();
		assertThat(this.repository.completeIfDone(probed, true)).isTrue();
		assertThat(this.repository.recordProbe(skipped, VideoFields.PROBE_SKIPPED)).isTrue();
		assertThat(this.repository.completeIfDone(skipped, true)).isTrue();
		assertThat(this.repository.markProbeFailed(unread, "The original's bytes could not be read: x")).isTrue();
		assertThat(this.repository.completeIfDone(unread, true)).isFalse();

		assertThat(this.videos.status(probed)).isEqualTo("success");
		assertThat(this.videos.status(skipped)).isEqualTo("success");
		Document failed = this.videos.find(unread);
		assertThat(failed.get(VideoFields.STATUS)).isEqualTo("failed");
		assertThat(failed.get(VideoFields.ERROR)).isEqualTo("The original's bytes could not be read: x");
		assertThat(failed.get(VideoFields.PROBE)).isEqualTo("failed");
		assertThat(this.repository.markProbeFailed(probed, "late")).as("a success stays one").isFalse();
	}

	private String everyVariant() {
		String id = this.videos.insertUploaded();
		this.repository.claimFanOut(id, "videos-0@" + id);
		for (int scale : VideoMessage.RENDITION_SCALES) {
			this.repository.recordVariant(id, scale, "u", null);
		}
		return id;
	}

	@Test
	void aFailedVideoKeepsTheReasonAndASuccessStaysASuccess() {
		String failing = this.videos.insertUploaded();
		String done = this.videos.insertUploaded();
		this.videos.set(done, new Document(VideoFields.STATUS, "success"));

		assertThat(this.repository.markFailed(failing, "x".repeat(1500))).isTrue();
		assertThat(this.repository.markFailed(done, "too late")).isFalse();

		assertThat(this.videos.find(failing).get(VideoFields.STATUS)).isEqualTo("failed");
		assertThat(this.videos.find(failing).getString(VideoFields.ERROR)).hasSize(1000);
		assertThat(this.videos.find(done).get(VideoFields.STATUS)).isEqualTo("success");
		assertThat(this.videos.find(done)).doesNotContainKey(VideoFields.ERROR);
	}

	@Test
	void anOriginalThatIsNotMediaFailsTheVideoAndNoRetryCompletesIt() {
		String id = this.videos.insertUploaded();
		this.videos.set(id, new Document(VideoFields.VARIANTS,
				new Document("360", "u").append("480", "u").append("720", "u").append("1080", "u")));

		assertThat(this.repository.markNotMedia(id, "Not a video ffprobe can read")).isTrue();
		Document failed = this.videos.find(id);
		// A retry, as the API makes it: uploaded again, then fanned out with nothing
		// missing.
		this.videos.set(id, new Document(VideoFields.STATUS, "uploaded"));
		assertThat(this.repository.claimFanOut(id, "videos-0@9").hasEveryVariant()).isTrue();

		assertThat(this.repository.completeIfDone(id, false)).isFalse();
		assertThat(failed.get(VideoFields.STATUS)).isEqualTo("failed");
		assertThat(failed.get(VideoFields.NOT_MEDIA)).isEqualTo(true);
		assertThat(failed.getString(VideoFields.ERROR)).isEqualTo("Not a video ffprobe can read");
		assertThat(this.videos.find(id).get(VideoFields.STATUS)).isEqualTo("encoding");
	}

	/** The paths of every {@code _class} key in the document and its sub-documents. */
	private static List<String> classKeys(Document document) {
		List<String> found = new ArrayList<>();
		document.forEach((key, value) -> {
			if (key.equals("_class")) {
				found.add(key);
			}
			if (value instanceof Document inner) {
				classKeys(inner).forEach((path) -> found.add(key + "." + path));
			}
		});
		return found;
	}

}
