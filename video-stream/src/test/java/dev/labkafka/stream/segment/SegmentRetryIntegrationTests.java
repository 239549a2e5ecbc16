package dev.labkafka.stream.segment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.mongodb.MongoTimeoutException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.labkafka.messages.Topics;
import dev.labkafka.stream.VideoStreamApplication;
import dev.labkafka.stream.media.MediaStore;
import dev.labkafka.testsupport.EmbeddedInfrastructure;
import dev.labkafka.testsupport.StoredVideos;
import dev.labkafka.testsupport.TestClips;
import dev.labkafka.testsupport.TestKafka;
import dev.labkafka.videos.StoredMedia;
import dev.labkafka.videos.VideoFields;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockReset;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;

/**
 * One segment of a long video that fails, through the whole worker as in
 * {@link SegmentedRenditionIntegrationTests}: clips of 13 s cut into three segments of 4
 * s per rendition. The worker's ffmpeg notes the arguments of each run, so that the runs
 * of each segment can be counted: a segment's command line trims the original from its
 * start ({@code trim=start=4.000000}) and scales it to its rendition's height
 * ({@code scale=-2:480}).
 * <p>
 * A passing failure (MongoDB not answering as a segment is stored) sends that segment's
 * message alone to the renditions' retry topic: it is encoded again, no other segment of
 * either rendition (a 480p clip: 360 and 480 are encoded, 720 and 1080 are the 480 file),
 * and the video is made whole. ffmpeg failing on a segment is not passing: the segment
 * goes to the dead letters at once and the video fails, although the next run of ffmpeg
 * would have made it, as for a whole rendition; a segment of the failed video that comes
 * again is not made.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { VideoStreamApplication.CONFIG_NAME, "video.stream.transcoder=ffmpeg",
				"video.stream.rendition-concurrency=3", "video.stream.segments.threshold=6s",
				"video.stream.segments.length=4s" })
@EmbeddedInfrastructure
class SegmentRetryIntegrationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	/** The segment of each ffmpeg run: its rendition's height and where it starts. */
	private static final Pattern SEGMENT = Pattern.compile("trim=start=([0-9.]+)\\S*scale=-2:([0-9]+)");

	static Path workDir;

	static Path clips;

	/** Where the worker's ffmpeg notes the arguments of each run, one line a run. */
	static Path arguments;

	/**
	 * Which run of the worker's ffmpeg fails, once: a shell pattern of its arguments, or
	 * nothing.
	 */
	static Path failOn;

	/**
	 * Which run of the worker's ffmpeg makes its segment with other codec parameters (the
	 * baseline profile), once: a shell pattern of its arguments, or nothing.
	 */
	static Path differOn;

	/** Set once before any video is sent: the spy is stubbed while nothing calls it. */
	static boolean stubbed;

	/** The video whose segment 2 of rendition 480 cannot be stored the first time. */
	static volatile String unstorable;

	/** How many times that segment was to be stored. */
	static final AtomicInteger stores = new AtomicInteger();

	@Autowired
	KafkaConnectionDetails kafkaConnection;

	@Autowired
	MongoDatabaseFactory databases;

	@MockitoSpyBean(reset = MockReset.NONE)
	MediaStore store;

	TestKafka kafka;

	StoredVideos videos;

	SegmentPipeline pipeline;

	@BeforeAll
	static void ffmpeg() {
		assumeThat(TestClips.ffmpegInstalled()).as("ffmpeg and ffprobe installed").isTrue();
	}

	@DynamicPropertySource
	static void failingFfmpeg(DynamicPropertyRegistry properties) throws IOException {
		workDir = Files.createTempDirectory("work");
		clips = Files.createTempDirectory("clips");
		arguments = clips.resolve("arguments.txt");
		failOn = clips.resolve("fail-on");
		Path failed = clips.resolve("failed");
		differOn = clips.resolve("differ-on");
		Path differed = clips.resolve("differed");
		Path ffmpeg = clips.resolve("ffmpeg");
		// Notes its arguments; fails the first run whose arguments match the pattern in
		// fail-on; runs the first that match differ-on with the baseline profile;
		// otherwise runs ffmpeg.
		Files.writeString(ffmpeg, """
				#!/bin/sh
				echo "$@" >> '%s'
				pattern=$(cat '%s' 2>/dev/null)
				if [ -n "$pattern" ] && [ ! -e '%s' ]; then
					case "$*" in
						$pattern)
							touch '%s'
							echo "Conversion failed!" >&2
							exit 1 ;;
					esac
				fi
				differ=$(cat '%s' 2>/dev/null)
				if [ -n "$differ" ] && [ ! -e '%s' ]; then
					case "$*" in
						$differ)
							touch '%s'
							for argument in "$@"; do
								[ "$argument" = high ] && argument=baseline
								set -- "$@" "$argument"
								shift
							done ;;
					esac
				fi
				exec ffmpeg "$@"
				""".formatted(arguments, failOn, failed, failed, differOn, differed, differed));
		assertThat(ffmpeg.toFile().setExecutable(true)).isTrue();
		properties.add("video.stream.media.work-dir", workDir::toString);
		properties.add("video.stream.media.ffmpeg", ffmpeg::toString);
	}

	@BeforeEach
	void clients() {
		this.kafka = new TestKafka(String.join(",", this.kafkaConnection.getBootstrapServers()));
		this.videos = new StoredVideos(this.databases.getMongoDatabase());
		this.pipeline = new SegmentPipeline(this.databases.getMongoDatabase(), this.kafka);
		if (!stubbed) {
			doAnswer((invocation) -> {
				if (invocation.getArgument(0).equals(unstorable) && invocation.<Integer>getArgument(1) == 480
						&& invocation.<Integer>getArgument(2) == 1 && stores.getAndIncrement() == 0) {
					throw new MongoTimeoutException("Timed out while waiting for a server (the test's)");
				}
				return invocation.callRealMethod();
			}).when(this.store).storeSegment(anyString(), anyInt(), anyInt(), any());
			stubbed = true;
		}
	}

	@Test
	void retriesASegmentThatFailedForAPassingReasonAloneAndMakesTheVideoWhole() throws Exception {
		Path clip = TestClips.make(Files.createDirectories(clips.resolve("passing")), 854, 480, 13, true);
		String id = this.pipeline.upload(Files.readAllBytes(clip));
		unstorable = id;

		this.pipeline.announce(id);

		await().atMost(Duration.ofSeconds(120))
			.untilAsserted(() -> assertThat(this.videos.status(id)).isIn("success", "failed"));
		assertThat(this.videos.status(id)).as(this.videos.find(id).getString(VideoFields.ERROR)).isEqualTo("success");
		assertThat(stores).as("segment 2 of 480 stored twice: it failed, then it was stored").hasValue(2);
		assertThat(segmentRuns(id)).as("the ffmpeg runs of each segment: the failed one twice, the others once")
			.containsExactlyInAnyOrderEntriesOf(Map.of("360@0.000000", 1, "360@4.000000", 1, "360@8.000000", 1,
					"480@0.000000", 1, "480@4.000000", 2, "480@8.000000", 1));
		assertThat(parts(this.kafka.recordsWithKey(Topics.RENDITIONS + "-retry-0", id, "read_uncommitted")))
			.as("what went to the retry topic: that segment's message alone")
			.containsExactly("480:1");
		Document video = this.videos.find(id);
		for (String scale : List.of("360", "480")) {
			Document segments = video.get(VideoFields.SEGMENTS, Document.class).get(scale, Document.class);
			assertThat(segments.getInteger(VideoFields.PLANNED)).as("13 s in 4 s segments, the last taking the rest")
				.isEqualTo(3);
			assertThat(segments.getList(VideoFields.DONE, Integer.class)).containsExactlyInAnyOrder(0, 1, 2);
		}
		assertThat(video.get(VideoFields.VARIANTS, Document.class))
			.containsEntry("360", "http://api/v1/videos/" + id + "/variants/360")
			.containsEntry("480", "http://api/v1/videos/" + id + "/variants/480")
			.containsEntry("1080", "http://api/v1/videos/" + id + "/variants/480");
		long originalFrames = SegmentPipeline.frames(clip);
		for (int scale : List.of(360, 480)) {
			Path stitched = this.pipeline.download(id, scale, clips.resolve(id + "-" + scale + ".mp4"));
			assertThat(SegmentPipeline.frames(stitched)).as("the frames of rendition %d", scale)
				.isCloseTo(originalFrames, within(1L));
			assertThat(TestClips.probe(stitched.toString()).height()).isEqualTo(scale);
		}
		await()
			.untilAsserted(() -> assertThat(this.pipeline.renditionFiles(id)).as("the segments and the claims removed")
				.containsExactlyInAnyOrder(id + "/360", id + "/480", StoredMedia.audioId(id)));
		await().untilAsserted(() -> assertThat(SegmentPipeline.files(workDir)).as("work files removed").isEmpty());
	}

	@Test
	void sendsASegmentThatFfmpegFailedOnToTheDeadLettersAtOnceAndFailsTheVideo() throws Exception {
		Path clip = TestClips.make(Files.createDirectories(clips.resolve("failing")), 640, 360, 13, true);
		String id = this.pipeline.upload(Files.readAllBytes(clip));
		// Its id is in the address ffmpeg reads the original from.
		Files.writeString(failOn, "*" + id + "*trim=start=4.000000:*scale=-2:360*");

		this.pipeline.announce(id);

		await().atMost(Duration.ofSeconds(120))
			.untilAsserted(() -> assertThat(this.videos.status(id)).isIn("success", "failed"));
		assertThat(this.videos.status(id)).isEqualTo("failed");
		assertThat(this.videos.find(id).getString(VideoFields.ERROR))
			.isEqualTo("Gave up on rendition 360: ffmpeg failed (exit 1): Conversion failed!");
		ConsumerRecord<String, String> dead = this.kafka.awaitRecord(Topics.deadLetters(Topics.RENDITIONS),
				(record) -> id.equals(record.key()));
		assertThat(parts(List.of(dead))).containsExactly("360:1");
		assertThat(parts(this.kafka.recordsWithKey(Topics.RENDITIONS + "-retry-0", id, "read_uncommitted")))
			.as("not retried")
			.isEmpty();
		// Its message sent again while the video is failed (say, a dead letter replayed
		// by hand): not made, the video cannot complete; its retry would send it again.
		RecordMetadata replayed = this.kafka.send(Topics.RENDITIONS, id, dead.value());
		this.kafka.awaitConsumed(Topics.RENDITIONS_GROUP, replayed);
		assertThat(segmentRuns(id)).as("the ffmpeg runs of each segment: the failed one not again")
			.containsEntry("360@4.000000", 1);
		assertThat(this.videos.find(id)
			.get(VideoFields.SEGMENTS, Document.class)
			.get("360", Document.class)
			.getList(VideoFields.DONE, Integer.class)).doesNotContain(1);
		assertThat(this.videos.status(id)).isEqualTo("failed");

		// Retried (ffmpeg fails only once): the missing segment is made, the others not
		// again, and the video completes.
		retry(id);
		await().atMost(Duration.ofSeconds(120)).until(() -> "success".equals(this.videos.status(id)));
		assertThat(segmentRuns(id)).as("the ffmpeg runs of each segment after the retry")
			.containsExactlyInAnyOrderEntriesOf(Map.of("360@0.000000", 1, "360@4.000000", 2, "360@8.000000", 1));
		await().untilAsserted(() -> assertThat(SegmentPipeline.files(workDir)).as("work files removed").isEmpty());
	}

	@Test
	void removesASegmentMadeWithOtherCodecParametersAtTheStitchSoThatARetryMakesItAgain() throws Exception {
		Path clip = TestClips.make(Files.createDirectories(clips.resolve("unlike")), 640, 360, 13, true);
		String id = this.pipeline.upload(Files.readAllBytes(clip));
		// As a worker with other ffmpeg settings would make it, once.
		Files.writeString(differOn, "*" + id + "*trim=start=4.000000:*scale=-2:360*");

		this.pipeline.announce(id);

		await().atMost(Duration.ofSeconds(120))
			.untilAsserted(() -> assertThat(this.videos.status(id)).isIn("success", "failed"));
		assertThat(this.videos.status(id)).isEqualTo("failed");
		assertThat(this.videos.find(id).getString(VideoFields.ERROR))
			.startsWith("Gave up on rendition 360: Segment 2 was made with other codec parameters (avc1 640x360 ")
			.contains("than the others (avc1 640x360 ");
		assertThat(this.videos.find(id)
			.get(VideoFields.SEGMENTS, Document.class)
			.get("360", Document.class)
			.getList(VideoFields.DONE, Integer.class)).as("the unlike segment no longer recorded")
			.containsExactlyInAnyOrder(0, 2);
		assertThat(this.pipeline.renditionFiles(id)).as("nor stored")
			.doesNotContain(StoredMedia.segmentId(id, 360, 1))
			.contains(StoredMedia.segmentId(id, 360, 0));

		retry(id);
		await().atMost(Duration.ofSeconds(120)).until(() -> "success".equals(this.videos.status(id)));
		assertThat(segmentRuns(id)).as("the ffmpeg runs of each segment: the unlike one made again")
			.containsExactlyInAnyOrderEntriesOf(Map.of("360@0.000000", 1, "360@4.000000", 2, "360@8.000000", 1));
		Path stitched = this.pipeline.download(id, 360, clips.resolve(id + "-360.mp4"));
		assertThat(SegmentPipeline.frames(stitched)).isCloseTo(SegmentPipeline.frames(clip), within(1L));
	}

	/** What {@code POST /v1/videos/{id}/retry} does: the video sent through again. */
	private void retry(String id) {
		this.videos.collection()
			.updateOne(Filters.eq("_id", new ObjectId(id)),
					Updates.combine(Updates.set(VideoFields.STATUS, "uploaded"), Updates.unset(VideoFields.ERROR)));
		this.pipeline.announce(id);
	}

	/**
	 * How many times ffmpeg was run for each segment of the video, by
	 * {@code <height>@<start>}.
	 */
	private static Map<String, Integer> segmentRuns(String id) throws IOException {
		Map<String, Integer> runs = new TreeMap<>();
		for (String line : Files.readAllLines(arguments)) {
			Matcher segment = SEGMENT.matcher(line);
			if (line.contains(id) && segment.find()) {
				runs.merge(segment.group(2) + "@" + segment.group(1), 1, Integer::sum);
			}
		}
		return runs;
	}

	/** The parts the records ask for, as {@code <scale>:<index>}. */
	private static List<String> parts(List<ConsumerRecord<String, String>> records) {
		return records.stream().map((record) -> {
			JsonNode message = json.readTree(record.value());
			JsonNode part = message.get("part");
			return message.get("scale").asInt() + ":" + ((part != null) ? part.get("index").asInt() : "whole");
		}).toList();
	}

}
