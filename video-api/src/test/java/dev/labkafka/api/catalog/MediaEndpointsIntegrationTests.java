package dev.labkafka.api.catalog;

import dev.labkafka.api.ApiIntegrationTests;
import java.io.ByteArrayInputStream;

import com.mongodb.client.gridfs.GridFSBucket;
import com.mongodb.client.gridfs.GridFSBuckets;
import dev.labkafka.testsupport.SampleVideos;
import dev.labkafka.videos.StoredMedia;
import dev.labkafka.videos.VideoFields;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the worker makes of a video, served by the API over real HTTP: the poster frame
 * and the encoded renditions, stored here as the worker stores them (GridFS buckets of
 * their own), and deleted with the video.
 */
class MediaEndpointsIntegrationTests extends ApiIntegrationTests {

	static final byte[] JPEG = { (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 1, 2, 3, 4 };

	@Test
	void answersAProblemUntilTheWorkerHasStoredThem() {
		String id = idOf(upload("clip.mp4", SampleVideos.mp4()));

		assertProblem(get("/v1/videos/{id}/thumbnail", id), HttpStatus.NOT_FOUND, "No thumbnail");
		assertProblem(get("/v1/videos/{id}/variants/360", id), HttpStatus.NOT_FOUND, "No such rendition");
		assertProblem(get("/v1/videos/{id}/variants/999", id), HttpStatus.NOT_FOUND, "No such rendition");
		assertProblem(get("/v1/videos/{id}/variants/tall", id), HttpStatus.BAD_REQUEST, null);
		assertProblem(get("/v1/videos/{id}/thumbnail", new ObjectId().toHexString()), HttpStatus.NOT_FOUND,
				"Video not found");
		assertThat(json.readTree(get("/v1/videos/{id}", id).getBody()).has("thumbnail")).isFalse();
	}

	@Test
	void servesThePosterFrameAndTheRenditionsAndDeletesThemWithTheVideo() {
		byte[] rendition = SampleVideos.mp4();
		String id = idOf(upload("clip.mp4", SampleVideos.mp4()));
		GridFSBuckets.create(database(), StoredMedia.THUMBNAILS_BUCKET)
			.uploadFromStream(new BsonObjectId(new ObjectId(id)), "poster.jpg", new ByteArrayInputStream(JPEG));
		GridFSBucket renditions = GridFSBuckets.create(database(), StoredMedia.RENDITIONS_BUCKET);
		renditions.uploadFromStream(new BsonString(StoredMedia.renditionId(id, 720)), "720.mp4",
				new ByteArrayInputStream(rendition));
		// Whatever else the worker keeps under the video's id goes with it; another's
		// stays.
		renditions.uploadFromStream(new BsonString(StoredMedia.ownedBy(id) + "audio"), "audio.m4a",
				new ByteArrayInputStream(JPEG));
		String other = new ObjectId().toHexString();
		renditions.uploadFromStream(new BsonString(StoredMedia.renditionId(other, 360)), "360.mp4",
				new ByteArrayInputStream(JPEG));
		this.videos.set(id,
				new Document(VideoFields.THUMBNAIL, true).append(VideoFields.RENDITIONS,
						new Document("720", new Document(VideoFields.ENCODED, true).append(VideoFields.HEIGHT, 720))
							.append("1080",
									new Document(VideoFields.ENCODED, false).append(VideoFields.SAME_AS, 720))));

		JsonNode video = json.readTree(get("/v1/videos/{id}", id).getBody());
		assertThat(video.get("thumbnail").asString())
			.isEqualTo("http://localhost:10080/v1/videos/" + id + "/thumbnail");
		assertThat(video.get("renditions").get("1080").get("sameAs").asInt()).isEqualTo(720);
		assertThat(video.get("renditions").get("1080").has("width")).isFalse();

		ResponseEntity<byte[]> thumbnail = this.http.get()
			.uri("/v1/videos/{id}/thumbnail", id)
			.retrieve()
			.toEntity(byte[].class);
		assertThat(thumbnail.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(thumbnail.getHeaders().getContentType()).isEqualTo(MediaType.IMAGE_JPEG);
		assertThat(thumbnail.getBody()).isEqualTo(JPEG);
		assertThat(thumbnail.getHeaders().getETag()).isNotBlank();
		assertThat(thumbnail.getHeaders().getCacheControl()).isEqualTo("max-age=3600, public");
		ResponseEntity<String> outside = this.http.get()
			.uri("/v1/videos/{id}/thumbnail", id)
			.header(HttpHeaders.RANGE, "bytes=" + JPEG.length + "-")
			.retrieve()
			.toEntity(String.class);
		assertProblem(outside, HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE, null);

		ResponseEntity<byte[]> range = this.http.get()
			.uri("/v1/videos/{id}/variants/720", id)
			.header(HttpHeaders.RANGE, "bytes=0-9")
			.retrieve()
			.toEntity(byte[].class);
		assertThat(range.getStatusCode()).isEqualTo(HttpStatus.PARTIAL_CONTENT);
		assertThat(range.getHeaders().getContentType()).isEqualTo(MediaType.parseMediaType("video/mp4"));
		assertThat(range.getHeaders().getFirst(HttpHeaders.CONTENT_RANGE)).isEqualTo("bytes 0-9/" + rendition.length);
		assertThat(range.getHeaders().getCacheControl()).isEqualTo("max-age=31536000, public, immutable");
		assertThat(get("/v1/videos/{id}/variants/720", id).getHeaders().getETag())
			.isEqualTo(range.getHeaders().getETag());
		assertThat(this.http.get()
			.uri("/v1/videos/{id}/variants/720", id)
			.header(HttpHeaders.RANGE, "bytes=" + rendition.length + "-")
			.retrieve()
			.toEntity(String.class)
			.getStatusCode()).isEqualTo(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE);

		this.http.delete().uri("/v1/videos/{id}", id).retrieve().toBodilessEntity();

		assertThat(database().getCollection(StoredMedia.THUMBNAILS_BUCKET + ".files").countDocuments()).isZero();
		assertThat(database().getCollection(StoredMedia.THUMBNAILS_BUCKET + ".chunks").countDocuments()).isZero();
		assertThat(renditions.find().map((file) -> file.getId().asString().getValue()))
			.containsExactly(StoredMedia.renditionId(other, 360));
		assertThat(database().getCollection(StoredMedia.RENDITIONS_BUCKET + ".chunks").countDocuments()).isOne();
	}

	private ResponseEntity<String> get(String uri, String id) {
		return this.http.get().uri(uri, id).retrieve().toEntity(String.class);
	}

	private static void assertProblem(ResponseEntity<String> response, HttpStatus status, String title) {
		assertThat(response.getStatusCode()).isEqualTo(status);
		assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		if (title != null) {
			assertThat(json.readTree(response.getBody()).get("title").asString()).isEqualTo(title);
		}
	}

}
