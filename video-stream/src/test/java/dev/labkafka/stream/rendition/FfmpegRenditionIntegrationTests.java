package dev.labkafka.stream.rendition;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.mongodb.client.gridfs.GridFSBucket;
import com.mongodb.client.gridfs.GridFSBuckets;
import com.mongodb.client.gridfs.model.GridFSFile;
import dev.labkafka.stream.media.WorkDirectories;
import dev.labkafka.messages.Topics;
import dev.labkafka.stream.VideoStreamApplication;
import dev.labkafka.stream.packaging.FragmentedMp4DurationTests;
import dev.labkafka.stream.media.MediaProcess;
import dev.labkafka.testsupport.EmbeddedInfrastructure;
import dev.labkafka.testsupport.StoredVideos;
import dev.labkafka.testsupport.TestClips;
import dev.labkafka.testsupport.TestKafka;
import dev.labkafka.videos.StoredMedia;
import dev.labkafka.videos.VideoFields;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.mongodb.client.model.Filters.regex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The worker with {@code video.stream.transcoder=ffmpeg}, on a real Kafka broker and the
 * MongoDB-wire server, with clips made by ffmpeg stored as the API stores uploads.
 * Skipped where ffmpeg is not installed (CI installs it).
 */
@SpringBootTest(properties = { VideoStreamApplication.CONFIG_NAME, "video.stream.transcoder=ffmpeg",
		"video.stream.rendition-concurrency=2" })
@EmbeddedInfrastructure
class FfmpegRenditionIntegrationTests {

	static Path workDir;

	static Path clips;

	/** Where the worker's ffmpeg notes the arguments of each run. */
	static Path arguments;

	@Autowired
	KafkaConnectionDetails kafkaConnection;

	@Autowired
	MongoDatabaseFactory databases;

	@Autowired
	MeterRegistry meters;

	TestKafka kafka;

	StoredVideos videos;

	@BeforeAll
	static void ffmpeg() {
		assumeThat(TestClips.ffmpegInstalled()).as("ffmpeg and ffprobe installed").isTrue();
	}

	@DynamicPropertySource
	static void workDir(DynamicPropertyRegistry properties) throws IOException {
		workDir = Files.createTempDirectory("work");
		clips = Files.createTempDirectory("clips");
		arguments = clips.resolve("arguments.txt");
		Path ffmpeg = TestClips.argumentNotingFfmpeg(clips, arguments);
		properties.add("video.stream.media.work-dir", workDir::toString);
		properties.add("video.stream.media.ffmpeg", ffmpeg::toString);
	}

	@BeforeEach
	void clients() {
		this.kafka = new TestKafka(String.join(",", this.kafkaConnection.getBootstrapServers()));
		this.videos = new StoredVideos(this.databases.getMongoDatabase());
	}

	@Test
	void probesAnUploadForItsSizeLengthAndPosterFrame() throws IOException {
		String id = upload(Files.readAllBytes(TestClips.make(clips, 640, 480, 2, true)));

		announce(id);

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.videos.find(id).getBoolean(VideoFields.THUMBNAIL)).isTrue());
		Document video = this.videos.find(id);
		assertThat(video.getInteger(VideoFields.WIDTH)).isEqualTo(640);
		assertThat(video.getInteger(VideoFields.HEIGHT)).isEqualTo(480);
		assertThat(video.getDouble(VideoFields.DURATION)).isCloseTo(2, within(0.1));
		GridFSFile thumbnail = bucket(StoredMedia.THUMBNAILS_BUCKET).find(new Document("_id", new ObjectId(id)))
			.first();
		assertThat(thumbnail).isNotNull();
		assertThat(thumbnail.getLength()).isPositive();
	}

	@Test
	void encodesNothingTallerThanASmallOriginalAndPointsTheTallerScalesAtItsFile() throws IOException {
		String id = upload(Files.readAllBytes(TestClips.make(clips, 320, 240, 2, false)));

		announce(id);

		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(this.videos.status(id)).isEqualTo("success"));
		Document video = this.videos.find(id);
		String base = "http://api/v1/videos/" + id;
		assertThat(video.get(VideoFields.VARIANTS, Document.class)).containsEntry("360", base + "/variants/360")
			.containsEntry("480", base + "/variants/360")
			.containsEntry("720", base + "/variants/360")
			.containsEntry("1080", base + "/variants/360");
		Document renditions = video.get(VideoFields.RENDITIONS, Document.class);
		assertThat(renditions.get("360", Document.class)).containsEntry(VideoFields.ENCODED, true)
			.containsEntry(VideoFields.WIDTH, 320)
			.containsEntry(VideoFields.HEIGHT, 240)
			.containsEntry("codecs", "avc1.64000d")
			.containsEntry(VideoFields.FRAME_RATE, 25.0)
			.containsKeys("bandwidth", VideoFields.AVERAGE_BANDWIDTH);
		assertThat(playlist(id, 360)).contains("#EXT-X-MAP:URI=\"../variants/360.mp4\",BYTERANGE=")
			.contains("#EXT-X-BYTERANGE:")
			.as("the work file's name is gone")
			.doesNotContain(id);
		assertThat(renditions.get("1080", Document.class)).containsEntry(VideoFields.ENCODED, false)
			.containsEntry(VideoFields.SAME_AS, 360);
		assertThat(FragmentedMp4DurationTests.headerSeconds(renditionBytes(id, 360)).get("mvhd"))
			.as("the length in the stored file's header")
			.isCloseTo(2, within(0.05));
		assertThat(renditionFiles(id)).containsExactly(id + "/360");
		assertThat(this.meters.find("videos.encoded.media.seconds").tag("scale", "360").counter().count())
			.as("seconds encoded, from ffmpeg's progress")
			.isPositive();
		await().untilAsserted(() -> assertThat(workFiles()).as("work files removed").isEmpty());
	}

	@Test
	void anOriginalFfprobeCannotReadFailsAtOnceWithTheReasonAndLeavesNothing() throws IOException {
		try (Consumer<String, String> deadLetters = this.kafka.subscribed(Topics.deadLetters(Topics.RENDITIONS))) {
			byte[] notMedia = new byte[200_000];
			byte[] ftyp = { 0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm' };
			System.arraycopy(ftyp, 0, notMedia, 0, ftyp.length);
			String id = upload(notMedia);

			announce(id);

			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(this.videos.status(id)).isEqualTo("failed"));
			assertThat(this.videos.find(id).getString(VideoFields.ERROR)).contains("ffprobe failed (exit 1)");
			List<ConsumerRecord<String, String>> renditions = TestKafka.awaitRecords(deadLetters,
					(record) -> id.equals(record.key()), 4);
			assertThat(renditions).as("straight from the renditions topic, through no retry topic")
				.allSatisfy((record) -> assertThat(
						new String(record.headers().lastHeader(KafkaHeaders.ORIGINAL_TOPIC).value()))
					.isEqualTo(Topics.RENDITIONS));
			assertThat(renditionFiles(id)).isEmpty();
			await().untilAsserted(() -> assertThat(workFiles()).isEmpty());
		}
	}

	@Test
	void anOriginalCutShortFailsRatherThanGivingShortRenditions() throws Exception {
		Path whole = TestClips.make(clips, 1280, 720, 6, true);
		Path faststart = clips.resolve("faststart.mp4");
		MediaProcess.run(List.of("ffmpeg", "-v", "error", "-y", "-i", whole.toString(), "-c", "copy", "-movflags",
				"+faststart", faststart.toString()), Duration.ofMinutes(1), null);
		byte[] bytes = Files.readAllBytes(faststart);
		String id = upload(Arrays.copyOf(bytes, bytes.length / 3));
		this.videos.set(id, new Document(VideoFields.STATUS, "encoding"));

		this.kafka.send(Topics.RENDITIONS, id,
				"{\"id\":\"%s\",\"url\":\"http://api/v1/videos/%s/content\",\"scale\":360}".formatted(id, id));

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.videos.status(id)).isEqualTo("failed"));
		assertThat(this.videos.find(id).getString(VideoFields.ERROR)).contains("the original is damaged or cut short");
		assertThat(renditionFiles(id)).isEmpty();
	}

	@Test
	void transcodesAVideoOverFiftyMegabytesWithItsSoundEncodedOnceForEveryRendition() throws Exception {
		// 854x480, 7 s of noise as Motion JPEG (about 63 MB), with MP3 sound, which the
		// renditions cannot copy as it is.
		Path big = clips.resolve("big.mov");
		MediaProcess.run(List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
				"testsrc2=d=7:s=854x480:r=25,noise=alls=60:allf=t", "-f", "lavfi", "-i", "sine=frequency=300:d=7",
				"-c:v", "mjpeg", "-q:v", "2", "-pix_fmt", "yuvj420p", "-c:a", "libmp3lame", big.toString()),
				Duration.ofMinutes(2), null);
		assertThat(Files.size(big)).isGreaterThan(50L << 20);
		Files.deleteIfExists(arguments);
		String id = this.videos.insertUploaded();
		try (InputStream in = Files.newInputStream(big)) {
			bucket(null).uploadFromStream(new BsonObjectId(new ObjectId(id)), "big.mov", in);
		}
		Files.delete(big);

		announce(id);

		await().atMost(Duration.ofMinutes(3))
			.untilAsserted(() -> assertThat(this.videos.status(id)).isEqualTo("success"));
		Document renditions = this.videos.find(id).get(VideoFields.RENDITIONS, Document.class);
		assertThat(renditions.get("480", Document.class)).containsEntry(VideoFields.WIDTH, 854)
			.containsEntry("codecs", "avc1.64001e,mp4a.40.2");
		assertThat(renditions.get("720", Document.class)).containsEntry(VideoFields.SAME_AS, 480);
		assertThat(renditionFiles(id)).containsExactlyInAnyOrder(id + "/360", id + "/480", id + "/audio");
		assertThat(Files.readAllLines(arguments).stream().filter((run) -> run.contains(" -vn ")))
			.as("the sound encoded once, by one of the two rendition jobs that ran side by side")
			.hasSize(1);
		assertThat(soundDigest(id, 360)).isEqualTo(soundDigest(id, 480));
		await().untilAsserted(() -> assertThat(workFiles()).as("work files removed").isEmpty());
	}

	private String playlist(String id, int scale) {
		GridFSFile file = bucket(StoredMedia.RENDITIONS_BUCKET)
			.find(new Document("_id", StoredMedia.renditionId(id, scale)))
			.first();
		assertThat(file).isNotNull();
		return file.getMetadata().getString(StoredMedia.PLAYLIST_METADATA);
	}

	private byte[] renditionBytes(String id, int scale) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		bucket(StoredMedia.RENDITIONS_BUCKET).downloadToStream(new BsonString(StoredMedia.renditionId(id, scale)),
				bytes);
		return bytes.toByteArray();
	}

	private String soundDigest(String id, int scale) throws Exception {
		Path file = clips.resolve(id + "-" + scale + ".mp4");
		try (OutputStream out = Files.newOutputStream(file)) {
			bucket(StoredMedia.RENDITIONS_BUCKET).downloadToStream(new BsonString(StoredMedia.renditionId(id, scale)),
					out);
		}
		try {
			return MediaProcess.run(List.of("ffmpeg", "-nostdin", "-v", "error", "-i", file.toString(), "-map", "0:a",
					"-c", "copy", "-f", "md5", "-"), Duration.ofMinutes(1), null);
		}
		finally {
			Files.delete(file);
		}
	}

	private String upload(byte[] bytes) {
		String id = this.videos.insertUploaded();
		bucket(null).uploadFromStream(new BsonObjectId(new ObjectId(id)), "clip.mp4", new ByteArrayInputStream(bytes));
		return id;
	}

	private void announce(String id) {
		this.kafka.send(Topics.VIDEOS, id,
				"{\"id\":\"%s\",\"url\":\"http://api/v1/videos/%s/content\",\"scale\":0}".formatted(id, id));
	}

	private GridFSBucket bucket(String name) {
		return (name != null) ? GridFSBuckets.create(this.databases.getMongoDatabase(), name)
				: GridFSBuckets.create(this.databases.getMongoDatabase());
	}

	private List<String> renditionFiles(String id) {
		List<String> ids = new ArrayList<>();
		bucket(StoredMedia.RENDITIONS_BUCKET).find(regex("_id", "^" + id))
			.forEach((file) -> ids.add(file.getId().asString().getValue()));
		return ids;
	}

	private static List<Path> workFiles() throws IOException {
		return WorkDirectories.jobFiles(workDir);
	}

}
