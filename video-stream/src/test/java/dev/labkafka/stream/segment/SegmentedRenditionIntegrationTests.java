package dev.labkafka.stream.segment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.labkafka.stream.VideoStreamApplication;
import dev.labkafka.testsupport.EmbeddedInfrastructure;
import dev.labkafka.testsupport.StoredVideos;
import dev.labkafka.testsupport.TestClips;
import dev.labkafka.testsupport.TestKafka;
import dev.labkafka.videos.StoredMedia;
import dev.labkafka.videos.VideoFields;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * A long video's renditions in segments, through the whole worker: a real Kafka broker,
 * the MongoDB-wire server, the worker's own HTTP server (its ffmpeg reads the original
 * from it), and ffmpeg. The thresholds are small so that a 21-second clip is cut into
 * five segments of four seconds.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { VideoStreamApplication.CONFIG_NAME, "video.stream.transcoder=ffmpeg",
				"video.stream.rendition-concurrency=3", "video.stream.segments.threshold=6s",
				"video.stream.segments.length=4s" })
@EmbeddedInfrastructure
class SegmentedRenditionIntegrationTests {

	static Path workDir;

	static Path clips;

	@Autowired
	KafkaConnectionDetails kafkaConnection;

	@Autowired
	MongoDatabaseFactory databases;

	@Autowired
	MeterRegistry meters;

	StoredVideos videos;

	SegmentPipeline pipeline;

	@BeforeAll
	static void ffmpeg() {
		assumeThat(TestClips.ffmpegInstalled()).as("ffmpeg and ffprobe installed").isTrue();
	}

	@DynamicPropertySource
	static void workDir(DynamicPropertyRegistry properties) throws IOException {
		workDir = Files.createTempDirectory("work");
		clips = Files.createTempDirectory("clips");
		properties.add("video.stream.media.work-dir", workDir::toString);
	}

	@BeforeEach
	void clients() {
		this.videos = new StoredVideos(this.databases.getMongoDatabase());
		this.pipeline = new SegmentPipeline(this.databases.getMongoDatabase(),
				new TestKafka(String.join(",", this.kafkaConnection.getBootstrapServers())));
	}

	@Test
	void cutsALongVideoIntoSegmentsAndStitchesEachRenditionOnceAllAreStored() throws Exception {
		Path clip = noisyClip(clips.resolve("noisy.mp4"), 21);
		long originalBytes = Files.size(clip);
		String id = this.pipeline.upload(Files.readAllBytes(clip));

		this.pipeline.announce(id);

		await().atMost(Duration.ofSeconds(120))
			.untilAsserted(() -> assertThat(this.videos.status(id)).isEqualTo("success"));
		Document video = this.videos.find(id);
		for (String scale : List.of("360")) {
			Document segments = video.get(VideoFields.SEGMENTS, Document.class).get(scale, Document.class);
			assertThat(segments.getInteger(VideoFields.PLANNED)).as("21 s in 4 s segments, the last taking the rest")
				.isEqualTo(5);
			assertThat(segments.getList(VideoFields.DONE, Integer.class)).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
		}
		assertThat(video.get(VideoFields.SEGMENTS, Document.class).keySet())
			.as("480, 720 and 1080 are the 360 file: not encoded")
			.containsExactly("360");
		assertThat(video.getString(VideoFields.SOUND)).isEqualTo(VideoFields.SOUND_STORED);
		assertThat(video.get(VideoFields.VARIANTS, Document.class))
			.containsEntry("360", "http://api/v1/videos/" + id + "/variants/360")
			.containsEntry("1080", "http://api/v1/videos/" + id + "/variants/360");
		// The stitch removes the segments and gives its claim up once it has recorded the
		// rendition.
		await()
			.untilAsserted(() -> assertThat(this.pipeline.renditionFiles(id)).as("the segments and the claim removed")
				.containsExactlyInAnyOrder(id + "/360", StoredMedia.audioId(id)));

		Path stitched = this.pipeline.download(id, 360, clips.resolve(id + "-360.mp4"));
		assertThat(SegmentPipeline.frames(stitched)).as("every frame of the original, once")
			.isEqualTo(SegmentPipeline.frames(clip));
		assertThat(keyframeTimes(stitched))
			.as("a keyframe every two seconds from the first frame, one at each segment's start")
			.containsExactly(0L, 2000L, 4000L, 6000L, 8000L, 10000L, 12000L, 14000L, 16000L, 18000L, 20000L);
		assertThat(TestClips.probe(stitched.toString()).duration()).isCloseTo(21, within(0.1));
		Document rendition = video.get(VideoFields.RENDITIONS, Document.class).get("360", Document.class);
		assertThat(rendition.getDouble(VideoFields.DURATION)).isCloseTo(21, within(0.1));
		assertThat(rendition.getString("codecs")).startsWith("avc1.").endsWith(",mp4a.40.2");

		DistributionSummary read = this.meters.find("video.segment.source.bytes").tag("scale", "360").summary();
		assertThat(read.count()).as("segment jobs").isEqualTo(5);
		assertThat(read.max()).as("the most one segment job read of the original").isLessThan(originalBytes * 2 / 3);
		await().untilAsserted(() -> assertThat(SegmentPipeline.files(workDir)).as("work files removed").isEmpty());

		// A stitch whose worker stopped before it removed the segments: the last
		// segment's message comes again, and the segments go then.
		this.pipeline.plant(StoredMedia.segmentId(id, 360, 4));
		this.pipeline.sendSegment(id, 360, 4, 5, 4.0);
		await().untilAsserted(() -> assertThat(this.pipeline.renditionFiles(id)).as("the stray segment removed")
			.containsExactlyInAnyOrder(id + "/360", StoredMedia.audioId(id)));
	}

	/**
	 * A 640x360 clip at 25 frames a second with moving detail and noise in every frame,
	 * so that its bytes spread over its length (over half a megabyte a second) as a
	 * camera's do, and an AAC tone; H.264 with B-frames and a keyframe every two seconds,
	 * its index at the end, as phones write it.
	 */
	static Path noisyClip(Path clip, int seconds) throws IOException, InterruptedException {
		Process ffmpeg = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
				"testsrc2=size=640x360:rate=25,noise=alls=12:allf=t", "-f", "lavfi", "-i", "sine=frequency=440", "-t",
				String.valueOf(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-bf", "3", "-g", "50", "-crf",
				"26", "-pix_fmt", "yuv420p", "-c:a", "aac", clip.toString())
			.redirectErrorStream(true)
			.start();
		String output = new String(ffmpeg.getInputStream().readAllBytes());
		assertThat(ffmpeg.waitFor()).as(output).isZero();
		return clip;
	}

	/** The keyframes' times after the first frame's (B-frames delay it), in ms. */
	private static List<Long> keyframeTimes(Path file) throws IOException {
		List<Double> times = new ArrayList<>();
		for (String line : SegmentPipeline
			.ffprobe("-select_streams", "v:0", "-skip_frame", "nokey", "-show_entries", "frame=pts_time", "-of",
					"csv=p=0", file.toString())
			.lines()
			.toList()) {
			if (!line.isBlank()) {
				times.add(Double.parseDouble(line.strip().replace(",", "")));
			}
		}
		return times.stream().map((time) -> Math.round((time - times.get(0)) * 1000)).toList();
	}

}
