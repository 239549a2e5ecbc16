package dev.labkafka.api.streaming;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Random;

import com.mongodb.client.gridfs.GridFSBucket;
import com.mongodb.client.gridfs.GridFSBuckets;
import com.mongodb.client.gridfs.model.GridFSUploadOptions;
import dev.labkafka.api.ApiIntegrationTests;
import dev.labkafka.testsupport.SampleVideos;
import dev.labkafka.videos.StoredMedia;
import dev.labkafka.videos.VideoFields;
import dev.labkafka.videos.VideoStatus;
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
 * A video's HLS playlists over real HTTP, from what the worker stores (the renditions in
 * the video's document, each file with its media playlist in its GridFS metadata); the
 * {@code hls} url; the byte ranges a player asks for; and CORS on the media only, as a
 * browser on another site sends it (preflight included).
 */
class PlaylistEndpointsIntegrationTests extends ApiIntegrationTests {

	static final String ORIGIN = "https://player.example";

	final HttpClient client = HttpClient.newHttpClient();

	@Test
	void answersAProblemUntilALevelIsDoneAndNullHlsMeanwhile() {
		String id = idOf(upload("clip.mp4", SampleVideos.mp4()));
		// A level being encoded (no variant yet) and one that is not streamed: neither is
		// a level.
		this.videos.set(id,
				new Document(VideoFields.RENDITIONS,
						new Document("360", streamed(640, 360, 800_000, 600_000)).append("480",
								new Document(VideoFields.ENCODED, true).append(VideoFields.WIDTH, 854)
									.append(VideoFields.HEIGHT, 480)))
					.append(VideoFields.VARIANTS + ".480", "http://localhost:10080/v1/videos/" + id + "/variants/480"));

		JsonNode video = json.readTree(get("/v1/videos/" + id).getBody());
		assertThat(video.has("hls")).as("always present").isTrue();
		assertThat(video.get("hls").isNull()).isTrue();
		assertProblem(get("/v1/videos/" + id + "/hls/master.m3u8"), HttpStatus.NOT_FOUND, "No HLS stream yet");
		assertProblem(get("/v1/videos/" + id + "/hls/360.m3u8"), HttpStatus.NOT_FOUND, "No such HLS level");
		assertProblem(get("/v1/videos/" + id + "/hls/480.m3u8"), HttpStatus.NOT_FOUND, "No such HLS level");
		assertProblem(get("/v1/videos/" + new ObjectId() + "/hls/master.m3u8"), HttpStatus.NOT_FOUND,
				"Video not found");
		assertProblem(get("/v1/videos/nope/hls/master.m3u8"), HttpStatus.BAD_REQUEST, "Invalid video id");
		assertProblem(get("/v1/videos/nope/hls/360.m3u8"), HttpStatus.BAD_REQUEST, "Invalid video id");
	}

	@Test
	void listsTheDoneLevelsByBandwidthAndServesTheirMediaPlaylists() {
		String id = idOf(upload("clip.mp4", SampleVideos.mp4()));
		GridFSBucket renditions = GridFSBuckets.create(database(), StoredMedia.RENDITIONS_BUCKET);
		store(renditions, id, 720, playlist(720));
		store(renditions, id, 360, playlist(360));
		store(renditions, id, 480, playlist(480));
		this.videos.set(id,
				new Document(VideoFields.RENDITIONS,
						new Document("720", streamed(1280, 720, 3_100_000, 2_400_000))
							.append("360", streamed(640, 360, 900_000, 700_000))
							// Recorded, but its variant is not done yet.
							.append("480", streamed(854, 480, 1_500_000, 1_200_000))
							// Taller than the source: the 720 file, never a level of its
							// own.
							.append("1080", new Document(VideoFields.ENCODED, false).append(VideoFields.SAME_AS, 720)))
					.append(VideoFields.VARIANTS,
							new Document("360", "http://localhost:10080/v1/videos/" + id + "/variants/360")
								.append("720", "http://localhost:10080/v1/videos/" + id + "/variants/720")
								.append("1080", "http://localhost:10080/v1/videos/" + id + "/variants/720"))
					.append(VideoFields.STATUS, VideoStatus.ENCODING.word()));

		JsonNode video = json.readTree(get("/v1/videos/" + id).getBody());
		assertThat(video.get("hls").asString())
			.isEqualTo("http://localhost:10080/v1/videos/" + id + "/hls/master.m3u8");
		JsonNode listed = json.readTree(get("/v1/videos?limit=1").getBody()).get("videos").get(0);
		assertThat(listed.get("hls").asString()).isEqualTo(video.get("hls").asString());

		ResponseEntity<String> master = get("/v1/videos/" + id + "/hls/master.m3u8");
		assertThat(master.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(master.getHeaders().getContentType().isCompatibleWith(PlaylistController.PLAYLIST)).isTrue();
		assertThat(master.getBody()).isEqualTo("""
				#EXTM3U
				#EXT-X-VERSION:7
				#EXT-X-INDEPENDENT-SEGMENTS
				#EXT-X-STREAM-INF:BANDWIDTH=900000,AVERAGE-BANDWIDTH=700000,RESOLUTION=640x360,\
				CODECS="avc1.64001e,mp4a.40.2",FRAME-RATE=29.970
				360.m3u8
				#EXT-X-STREAM-INF:BANDWIDTH=3100000,AVERAGE-BANDWIDTH=2400000,RESOLUTION=1280x720,\
				CODECS="avc1.64001e,mp4a.40.2",FRAME-RATE=29.970
				720.m3u8
				""");
		assertThat(master.getHeaders().getCacheControl()).as("it can still grow").isEqualTo("no-cache, public");
		String tag = master.getHeaders().getETag();
		assertThat(tag).isNotBlank();
		assertThat(this.http.get()
			.uri("/v1/videos/" + id + "/hls/master.m3u8")
			.header(HttpHeaders.IF_NONE_MATCH, tag)
			.retrieve()
			.toEntity(String.class)
			.getStatusCode()).isEqualTo(HttpStatus.NOT_MODIFIED);

		ResponseEntity<String> media = get("/v1/videos/" + id + "/hls/720.m3u8");
		assertThat(media.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(media.getHeaders().getContentType().isCompatibleWith(PlaylistController.PLAYLIST)).isTrue();
		assertThat(media.getBody()).isEqualTo(playlist(720));
		assertThat(media.getHeaders().getCacheControl()).isEqualTo("max-age=31536000, public, immutable");
		assertThat(media.getHeaders().getETag()).isNotBlank().isNotEqualTo(tag);
		assertProblem(get("/v1/videos/" + id + "/hls/480.m3u8"), HttpStatus.NOT_FOUND, "No such HLS level");
		assertProblem(get("/v1/videos/" + id + "/hls/1080.m3u8"), HttpStatus.NOT_FOUND, "No such HLS level");
		assertProblem(get("/v1/videos/" + id + "/hls/tall.m3u8"), HttpStatus.NOT_FOUND, "No such HLS level");

		this.videos.set(id,
				new Document(VideoFields.VARIANTS + ".480", "http://localhost:10080/v1/videos/" + id + "/variants/480")
					.append(VideoFields.STATUS, VideoStatus.SUCCESS.word()));
		ResponseEntity<String> done = get("/v1/videos/" + id + "/hls/master.m3u8");
		assertThat(done.getBody()).contains("RESOLUTION=854x480").doesNotContain("1080.m3u8");
		assertThat(done.getBody().indexOf("480.m3u8")).isBetween(done.getBody().indexOf("360.m3u8"),
				done.getBody().indexOf("720.m3u8"));
		assertThat(done.getHeaders().getETag()).as("a level more, another tag").isNotEqualTo(tag);
		assertThat(done.getHeaders().getCacheControl()).isEqualTo("max-age=3600, public");
		assertThat(get("/v1/videos/" + id + "/hls/480.m3u8").getBody()).isEqualTo(playlist(480));
	}

	@Test
	void servesTheByteRangesAPlayerAsksForWithTheirHeaders() throws Exception {
		String id = idOf(upload("clip.mp4", SampleVideos.mp4()));
		byte[] file = new byte[300_000];
		new Random(19).nextBytes(file);
		GridFSBuckets.create(database(), StoredMedia.RENDITIONS_BUCKET)
			.uploadFromStream(new BsonString(StoredMedia.renditionId(id, 360)), "360.mp4",
					new ByteArrayInputStream(file), new GridFSUploadOptions().chunkSizeBytes(4096)
						.metadata(new Document(StoredMedia.PLAYLIST_METADATA, playlist(360))));
		// The segments' address in the playlist: the rendition's file, named as MP4.
		String variant = "/v1/videos/" + id + "/variants/360" + StoredMedia.MP4_SUFFIX;

		HttpResponse<byte[]> range = send(
				request(variant).header("Range", "bytes=1234-5678").header("Origin", ORIGIN).build());
		assertThat(range.statusCode()).isEqualTo(206);
		assertThat(range.body()).isEqualTo(Arrays.copyOfRange(file, 1234, 5679));
		assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 1234-5678/300000");
		assertThat(range.headers().firstValue("Content-Type")).hasValue("video/mp4");
		assertThat(range.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
		assertThat(range.headers().firstValue("Access-Control-Expose-Headers").orElseThrow()).contains("Content-Range",
				"Content-Length", "Accept-Ranges", "ETag");
		String tag = range.headers().firstValue("ETag").orElseThrow();

		HttpResponse<byte[]> stale = send(
				request(variant).header("Range", "bytes=1234-5678").header("If-None-Match", "\"another\"").build());
		assertThat(stale.statusCode()).isEqualTo(206);
		assertThat(stale.body()).isEqualTo(Arrays.copyOfRange(file, 1234, 5679));
		HttpResponse<byte[]> cached = send(request(variant).header("Range", "bytes=1234-5678")
			.header("If-None-Match", tag)
			.header("Origin", ORIGIN)
			.build());
		assertThat(cached.statusCode()).isEqualTo(304);
		assertThat(cached.body()).isEmpty();
		assertThat(cached.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");

		HttpResponse<byte[]> head = send(
				request(variant).method("HEAD", HttpRequest.BodyPublishers.noBody()).header("Origin", ORIGIN).build());
		assertThat(head.statusCode()).isEqualTo(200);
		assertThat(head.headers().firstValue("Content-Length")).hasValue("300000");
		assertThat(head.headers().firstValue("Accept-Ranges")).hasValue("bytes");
		assertThat(head.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
		HttpResponse<byte[]> headRange = send(request(variant).method("HEAD", HttpRequest.BodyPublishers.noBody())
			.header("Range", "bytes=1234-5678")
			.build());
		assertThat(headRange.statusCode()).isEqualTo(206);
		assertThat(headRange.headers().firstValue("Content-Range")).hasValue("bytes 1234-5678/300000");
	}

	@Test
	void letsPagesElsewhereReadTheMediaAndNothingElse() throws Exception {
		String id = idOf(upload("clip.mp4", SampleVideos.mp4()));
		for (String media : new String[] { "/content", "/thumbnail", "/variants/360", "/hls/master.m3u8",
				"/hls/360.m3u8" }) {
			HttpResponse<byte[]> preflight = send(
					request("/v1/videos/" + id + media).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
						.header("Origin", ORIGIN)
						.header("Access-Control-Request-Method", "GET")
						.header("Access-Control-Request-Headers", "range")
						.build());
			assertThat(preflight.statusCode()).as(media).isEqualTo(200);
			assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).as(media).hasValue("*");
			assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods")).as(media).hasValue("GET,HEAD");
			assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElseThrow()).as(media)
				.containsIgnoringCase("range");
			assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).as(media).isEmpty();
			// Even a problem (no poster frame yet) can be read by the player.
			HttpResponse<byte[]> get = send(request("/v1/videos/" + id + media).header("Origin", ORIGIN).build());
			assertThat(get.headers().firstValue("Access-Control-Allow-Origin")).as(media).hasValue("*");
		}
		HttpResponse<byte[]> writePreflight = send(
				request("/v1/videos/" + id + "/content").method("OPTIONS", HttpRequest.BodyPublishers.noBody())
					.header("Origin", ORIGIN)
					.header("Access-Control-Request-Method", "DELETE")
					.build());
		assertThat(writePreflight.statusCode()).isEqualTo(403);
		assertThat(writePreflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
		for (String[] other : new String[][] { { "GET", "/v1/videos/" + id }, { "GET", "/v1/videos" },
				{ "DELETE", "/v1/videos/" + id }, { "POST", "/v1/videos" }, { "POST", "/v1/uploads" },
				{ "GET", "/v1/videos/events" } }) {
			HttpResponse<byte[]> preflight = send(
					request(other[1]).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
						.header("Origin", ORIGIN)
						.header("Access-Control-Request-Method", other[0])
						.build());
			assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).as(other[0] + " " + other[1])
				.isEmpty();
		}
		HttpResponse<byte[]> json = send(request("/v1/videos/" + id).header("Origin", ORIGIN).build());
		assertThat(json.statusCode()).isEqualTo(200);
		assertThat(json.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
	}

	private static Document streamed(int width, int height, long bandwidth, long average) {
		return new Document(VideoFields.ENCODED, true).append(VideoFields.WIDTH, width)
			.append(VideoFields.HEIGHT, height)
			.append(VideoFields.DURATION, 6.0)
			.append(VideoFields.BANDWIDTH, bandwidth)
			.append(VideoFields.AVERAGE_BANDWIDTH, average)
			.append(VideoFields.CODECS, "avc1.64001e,mp4a.40.2")
			.append(VideoFields.FRAME_RATE, 30000.0 / 1001);
	}

	/** A media playlist as the worker stores it: byte ranges of the rendition's file. */
	static String playlist(int scale) {
		String file = StoredMedia.segmentUri(scale);
		return """
				#EXTM3U
				#EXT-X-VERSION:7
				#EXT-X-TARGETDURATION:2
				#EXT-X-MEDIA-SEQUENCE:0
				#EXT-X-PLAYLIST-TYPE:VOD
				#EXT-X-INDEPENDENT-SEGMENTS
				#EXT-X-MAP:URI="%1$s",BYTERANGE="812@0"
				#EXTINF:2.000000,
				#EXT-X-BYTERANGE:%2$d@812
				%1$s
				#EXT-X-ENDLIST
				""".formatted(file, 1000 * scale);
	}

	private static void store(GridFSBucket renditions, String id, int scale, String playlist) {
		renditions.uploadFromStream(new BsonString(StoredMedia.renditionId(id, scale)), scale + ".mp4",
				new ByteArrayInputStream(SampleVideos.mp4()),
				new GridFSUploadOptions().metadata(new Document(StoredMedia.PLAYLIST_METADATA, playlist)));
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path));
	}

	private HttpResponse<byte[]> send(HttpRequest request) throws Exception {
		return this.client.send(request, HttpResponse.BodyHandlers.ofByteArray());
	}

	private ResponseEntity<String> get(String path) {
		return this.http.get()
			.uri(URI.create("http://localhost:" + this.port + path))
			.retrieve()
			.toEntity(String.class);
	}

	private static void assertProblem(ResponseEntity<String> response, HttpStatus status, String title) {
		assertThat(response.getStatusCode()).isEqualTo(status);
		assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(json.readTree(response.getBody()).get("title").asString()).isEqualTo(title);
	}

}
