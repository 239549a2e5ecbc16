package dev.labkafka.stream.segment;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.gridfs.GridFSBucket;
import com.mongodb.client.gridfs.GridFSBuckets;
import dev.labkafka.stream.media.WorkDirectories;
import dev.labkafka.messages.Topics;
import dev.labkafka.testsupport.StoredVideos;
import dev.labkafka.testsupport.TestKafka;
import dev.labkafka.videos.StoredMedia;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.types.ObjectId;

import static com.mongodb.client.model.Filters.regex;

/**
 * The worker's pipeline as the integration tests of segments drive it: an upload stored
 * as the API stores one and announced on the uploads topic, and what the worker leaves of
 * it in the renditions bucket and its work directory, read the way any client would.
 */
final class SegmentPipeline {

	private final MongoDatabase database;

	private final TestKafka kafka;

	private final StoredVideos videos;

	SegmentPipeline(MongoDatabase database, TestKafka kafka) {
		this.database = database;
		this.kafka = kafka;
		this.videos = new StoredVideos(database);
	}

	/** Stores an upload of {@code bytes} as the API does; returns its id. */
	String upload(byte[] bytes) {
		String id = this.videos.insertUploaded();
		bucket(null).uploadFromStream(new BsonObjectId(new ObjectId(id)), "clip.mp4", new ByteArrayInputStream(bytes));
		return id;
	}

	/** Announces the upload as the API does, for the worker's fan-out. */
	void announce(String id) {
		this.kafka.send(Topics.VIDEOS, id,
				"{\"id\":\"%s\",\"url\":\"http://api/v1/videos/%s/content\",\"scale\":0}".formatted(id, id));
	}

	/**
	 * The ids of the files of the renditions bucket under the video's id: renditions,
	 * segments, the shared sound and claims.
	 */
	List<String> renditionFiles(String id) {
		List<String> ids = new ArrayList<>();
		bucket(StoredMedia.RENDITIONS_BUCKET).find(regex("_id", "^" + id))
			.forEach((file) -> ids.add(file.getId().asString().getValue()));
		return ids;
	}

	/** Stores a few bytes in the renditions bucket under {@code fileId}. */
	void plant(String fileId) {
		bucket(StoredMedia.RENDITIONS_BUCKET).uploadFromStream(new BsonString(fileId), fileId,
				new ByteArrayInputStream(new byte[] { 1, 2, 3 }));
	}

	/**
	 * Sends segment {@code index} of the rendition at {@code scale} as a fan-out does.
	 */
	void sendSegment(String id, int scale, int index, int count, double seconds) {
		this.kafka.send(Topics.RENDITIONS, id,
				"{\"id\":\"%s\",\"url\":\"http://api/v1/videos/%s/content\",\"scale\":%d,\"part\":{\"index\":%d,\"count\":%d,\"seconds\":%s,\"height\":%d,\"origin\":0,\"seekMargin\":0}}"
					.formatted(id, id, scale, index, count, seconds, scale));
	}

	/** Copies the stored rendition at {@code scale} into {@code file}. */
	Path download(String id, int scale, Path file) throws IOException {
		try (OutputStream out = Files.newOutputStream(file)) {
			bucket(StoredMedia.RENDITIONS_BUCKET).downloadToStream(new BsonString(StoredMedia.renditionId(id, scale)),
					out);
		}
		return file;
	}

	private GridFSBucket bucket(String name) {
		return (name != null) ? GridFSBuckets.create(this.database, name) : GridFSBuckets.create(this.database);
	}

	/** The files the jobs left in the work directory {@code directory}. */
	static List<String> files(Path directory) throws IOException {
		return WorkDirectories.jobFiles(directory).stream().map(Path::toString).toList();
	}

	/** How many frames of picture ffprobe decodes from {@code file}. */
	static long frames(Path file) throws IOException {
		return Long.parseLong(ffprobe("-count_frames", "-select_streams", "v:0", "-show_entries",
				"stream=nb_read_frames", "-of", "csv=p=0", file.toString())
			.strip());
	}

	/** What ffprobe writes, errors included, for these arguments. */
	static String ffprobe(String... arguments) throws IOException {
		List<String> command = new ArrayList<>(List.of("ffprobe", "-v", "error"));
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		return new String(process.getInputStream().readAllBytes());
	}

}
