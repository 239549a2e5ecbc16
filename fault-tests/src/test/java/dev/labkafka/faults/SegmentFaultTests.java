package dev.labkafka.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import dev.labkafka.processes.LocalPipeline;
import dev.labkafka.processes.PipelineClient;
import dev.labkafka.testsupport.TestClips;
import dev.labkafka.videos.StoredMedia;
import dev.labkafka.videos.VideoFields;
import dev.labkafka.videos.VideoStatus;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.regex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker killed (SIGKILL) while it encodes the segments of a long video, with real
 * processes and the ffmpeg transcoder: its ffmpeg stops with it, a second worker makes
 * the segments that were not stored and only those, and the stitched renditions hold
 * every frame of the original. Apart from {@link FaultTests}, whose worker mocks its
 * renditions.
 */
@TestInstance(Lifecycle.PER_CLASS)
class SegmentFaultTests {

	/** The clip: 40 s at 25 frames a second, with sound. */
	static final double SECONDS = 40;

	static final long FRAMES = 1000;

	/** Its renditions: the ladder up to the original's height, 480. */
	static final List<Integer> SCALES = List.of(360, 480);

	/** Segments per rendition: 40 s in 10 s segments. */
	static final int SEGMENTS = 4;

	private static final Pattern STORED = Pattern
		.compile("Video (\\w{24}): segment (\\d+) of \\d+ of rendition (\\d+) stored");

	final Path directory = Path.of("target", "segment-pipeline-" + System.currentTimeMillis()).toAbsolutePath();

	LocalPipeline pipeline;

	PipelineClient api;

	MongoClient mongo;

	MongoDatabase database;

	@BeforeAll
	void startThePipeline() {
		assumeThat(TestClips.ffmpegInstalled()).as("ffmpeg and ffprobe on the PATH").isTrue();
		this.pipeline = new LocalPipeline(Path.of(System.getProperty("pipeline.root", "..")), this.directory);
		this.pipeline.startInfrastructure();
		this.pipeline.startApi("-Xmx256m", "--video.api.outbox.interval=500ms");
		this.api = new PipelineClient(this.pipeline.apiUrl());
		this.mongo = MongoClients.create(this.pipeline.mongoUri());
		this.database = this.mongo.getDatabase("nthu_distributed_system");
	}

	@AfterAll
	void stopThePipeline() {
		if (this.mongo != null) {
			this.mongo.close();
		}
		if (this.pipeline != null) {
			this.pipeline.close();
		}
	}

	/**
	 * Two segment jobs at a time, one ffmpeg thread each, whose killed consumers the
	 * group gives up on (and whose transactions the broker aborts) after 10 s.
	 */
	private Path startWorker(String name) {
		return this.pipeline.startWorker(name, "-Xmx256m", "--video.stream.transcoder=ffmpeg",
				"--video.stream.segments.threshold=20s", "--video.stream.segments.length=10s",
				"--video.stream.rendition-concurrency=2", "--video.stream.media.threads=1",
				"--spring.kafka.consumer.properties.session.timeout.ms=10000",
				"--spring.kafka.producer.properties.transaction.timeout.ms=10000");
	}

	@Test
	void aWorkerKilledMidSegmentLosesNothingAndItsSuccessorMakesOnlyWhatWasNotStored(@TempDir Path clips)
			throws Exception {
		Path clip = TestClips.make(clips, 854, 480, SECONDS, true);
		assertThat(TestClips.frames(clip.toString())).isEqualTo(FRAMES);
		startWorker("segments-a");
		String id = this.api.upload("long.mp4", Files.readAllBytes(clip));

		List<ProcessHandle> encoding = new ArrayList<>();
		await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() -> {
			int stored = stored(id).size();
			encoding.clear();
			encoding.addAll(segmentEncodes(this.pipeline.pid("segments-a")));
			return stored > 0 && stored < SCALES.size() * SEGMENTS && !encoding.isEmpty();
		});
		this.pipeline.kill("segments-a");
		Set<String> storedAtTheKill = stored(id);

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(
					() -> assertThat(encoding).as("the killed worker's ffmpeg").noneMatch(ProcessHandle::isAlive));
		Path successor = startWorker("segments-b");
		await().atMost(Duration.ofMinutes(4))
			.until(() -> VideoStatus.SUCCESS.word().equals(this.api.status(id))
					|| VideoStatus.FAILED.word().equals(this.api.status(id)));
		assertThat(this.api.status(id)).isEqualTo(VideoStatus.SUCCESS.word());

		Set<String> all = new HashSet<>();
		SCALES.forEach((scale) -> {
			for (int index = 0; index < SEGMENTS; index++) {
				all.add(scale + ":" + index);
			}
		});
		Set<String> expected = new HashSet<>(all);
		expected.removeAll(storedAtTheKill);
		Map<String, Integer> madeBySuccessor = storedIn(successor, id);
		assertThat(madeBySuccessor.keySet())
			.as("the segments the successor stored (%s were stored at the kill)", storedAtTheKill)
			.isEqualTo(expected);
		assertThat(madeBySuccessor.values()).as("each once").containsOnly(1);

		JsonNode variants = this.api.video(id).get("variants");
		for (int scale : SCALES) {
			assertThat(TestClips.frames(variants.get(Integer.toString(scale)).asString()))
				.as("the frames of the stitched rendition %d", scale)
				.isBetween(FRAMES - 1, FRAMES + 1);
		}
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(renditionFiles(id)).as("the segments and the claims removed")
				.containsExactlyInAnyOrder(StoredMedia.renditionId(id, 360), StoredMedia.renditionId(id, 480),
						StoredMedia.audioId(id)));
	}

	/**
	 * The ffmpeg processes the worker runs now that encode a segment (their output is a
	 * segment's work file).
	 */
	private static List<ProcessHandle> segmentEncodes(long worker) {
		return ProcessHandle.of(worker)
			.map((process) -> process.descendants()
				.filter((child) -> child.info().command().orElse("").endsWith("ffmpeg"))
				.filter((child) -> List.of(child.info().arguments().orElse(new String[0]))
					.stream()
					.anyMatch((argument) -> argument.contains("-segment-")))
				.toList())
			.orElse(List.of());
	}

	/** The segments of the video stored so far, as {@code <scale>:<index>}. */
	private Set<String> stored(String id) {
		Set<String> stored = new HashSet<>();
		Document video = this.database.getCollection(VideoFields.COLLECTION).find(eq("_id", new ObjectId(id))).first();
		Document segments = (video != null) ? video.get(VideoFields.SEGMENTS, Document.class) : null;
		if (segments != null) {
			segments.forEach((scale, progress) -> {
				List<Integer> done = ((Document) progress).getList(VideoFields.DONE, Integer.class);
				if (done != null) {
					done.forEach((index) -> stored.add(scale + ":" + index));
				}
			});
		}
		return stored;
	}

	/** How often each segment of the video was stored by the worker of this log. */
	private static Map<String, Integer> storedIn(Path log, String id) throws IOException {
		Map<String, Integer> counts = new HashMap<>();
		Matcher matcher = STORED.matcher(Files.readString(log));
		while (matcher.find()) {
			if (matcher.group(1).equals(id)) {
				counts.merge(matcher.group(3) + ":" + (Integer.parseInt(matcher.group(2)) - 1), 1, Integer::sum);
			}
		}
		return counts;
	}

	/** The ids of the files of the renditions bucket under the video's id. */
	private List<String> renditionFiles(String id) {
		List<String> ids = new ArrayList<>();
		this.database.getCollection(StoredMedia.RENDITIONS_BUCKET + ".files")
			.find(regex("_id", "^" + id))
			.forEach((file) -> ids.add(file.getString("_id")));
		return ids;
	}

}
