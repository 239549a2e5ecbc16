package dev.labkafka.api.video;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

import dev.labkafka.api.VideoApiApplication;
import dev.labkafka.messages.ProgressMessage;
import dev.labkafka.testsupport.MultipartBody;
import dev.labkafka.testsupport.SampleVideos;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

/**
 * The HTTP surface and its error mapping, with the storage and Kafka mocked.
 */
@WebMvcTest(properties = { VideoApiApplication.CONFIG_NAME, "video.api.upload.max-file-size=2MB" })
@Import({ VideoCatalog.class, VideoMetrics.class, UploadSlots.class })
class VideoControllerTests {

	@Autowired
	MockMvcTester mvc;

	@MockitoBean
	Videos videos;

	@MockitoBean
	VideoFiles files;

	@MockitoBean
	Announcements announcements;

	@MockitoBean
	ProgressPublisher progress;

	@MockitoBean
	VideoEvents events;

	@MockitoBean
	ResumableUploads uploads;

	@BeforeEach
	void storingReadsTheWholeFile() {
		given(this.files.store(any(), any(), any(), any()))
			.willAnswer((invocation) -> invocation.getArgument(1, InputStream.class)
				.transferTo(OutputStream.nullOutputStream()));
	}

	@Test
	void storesAnUploadThenAnnouncesItAndAnswersCreated() {
		var result = upload(sampleVideo());

		assertThat(result).hasStatus(HttpStatus.CREATED);
		String id = result.getResponse().getHeader("Location").substring("/v1/videos/".length());
		assertThat(ObjectId.isValid(id)).isTrue();
		assertThat(result).bodyJson().extractingPath("$.id").isEqualTo(id);
		assertThat(result).bodyJson().extractingPath("$.status").isEqualTo("uploaded");
		assertThat(result).bodyJson()
			.extractingPath("$.url")
			.isEqualTo("http://localhost:10080/v1/videos/" + id + "/content");
		assertThat(result).bodyJson().extractingPath("$.size").isEqualTo(SampleVideos.mp4().length);
		InOrder order = inOrder(this.files, this.videos, this.announcements, this.progress);
		order.verify(this.files).store(any(), any(), any(), any());
		order.verify(this.videos).insert(any());
		order.verify(this.announcements).announce(any(), any());
		order.verify(this.progress).publish(ProgressMessage.status(id));
	}

	@Test
	void removesTheBytesOnceTheDatabaseIsBackWhenTheDocumentCannotBeStored() {
		willThrow(new DataAccessResourceFailureException("database down")).given(this.videos).insert(any());

		var result = upload(sampleVideo());

		assertThat(result).hasStatus(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(result).hasHeader("Retry-After", "5");
		assertThat(result).bodyJson().extractingPath("$.title").isEqualTo("Database unavailable");
		verify(this.files).removeLater(any());
		verify(this.files, never()).delete(any());
		verifyNoInteractions(this.announcements);
	}

	@Test
	void refusesAFileOverTheLimitAndStoresNoDocument() {
		// Over the file limit, not over the request's (file plus 1 MB): refused as it
		// streams.
		var result = upload(MultipartBody.file("huge.mp4", Arrays.copyOf(SampleVideos.mp4(), 5 * 512 * 1024)));

		assertThat(result).hasStatus(HttpStatus.CONTENT_TOO_LARGE);
		assertThat(result).bodyJson().extractingPath("$.title").isEqualTo("Upload too large");
		assertThat(result).bodyJson().extractingPath("$.maxFileSize").isEqualTo(2 * 1024 * 1024);
		verifyNoInteractions(this.videos, this.announcements);
	}

	@Test
	void rejectsABodyThatEndsInTheMiddleOfTheFileAndStoresNoDocument() {
		byte[] head = MultipartBody.head("file", "cut.mp4").getBytes(StandardCharsets.ISO_8859_1);
		byte[] body = Arrays.copyOf(head, head.length + 100_000);
		byte[] video = SampleVideos.mp4();
		System.arraycopy(video, 0, body, head.length, video.length);

		var result = upload(body);

		assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
		assertThat(result).bodyJson().extractingPath("$.title").isEqualTo("Malformed multipart body");
		verifyNoInteractions(this.videos, this.announcements);
	}

	@Test
	void rejectsABodyWithoutParts() {
		var result = upload("no boundary anywhere in here".getBytes());

		assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
		assertThat(result).bodyJson().extractingPath("$.title").isEqualTo("No file in the upload");
		verifyNoInteractions(this.files, this.videos, this.announcements);
	}

	@Test
	void rejectsTwoFilesInOneUpload() {
		var result = upload(MultipartBody.create()
			.part("file", "a.mp4", SampleVideos.mp4())
			.part("file", "b.mp4", SampleVideos.mp4())
			.bytes());

		assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
		assertThat(result).bodyJson().extractingPath("$.title").isEqualTo("One file per upload");
		verify(this.files).delete(any());
		verifyNoInteractions(this.videos, this.announcements);
	}

	@Test
	void deletesAVideoWhoseBytesCannotBeRemovedYetAndRemovesThemLater() {
		ObjectId id = new ObjectId();
		given(this.videos.delete(id)).willReturn(true);
		willThrow(new DataAccessResourceFailureException("database gone")).given(this.files).delete(id);

		var result = this.mvc.delete().uri("/v1/videos/{id}", id.toHexString()).exchange();

		assertThat(result).hasStatusOk();
		verify(this.files).removeLater(id);
	}

	@Test
	void retriesAFailedVideo() {
		ObjectId id = new ObjectId();
		Video retried = Video.uploaded(id, 42, "http://x/content", java.time.Instant.EPOCH, "a.mp4", "video/mp4",
				java.time.Instant.EPOCH);
		given(this.videos.retryFailed(eq(id), any(), any())).willReturn(retried);

		var result = this.mvc.post().uri("/v1/videos/{id}/retry", id.toHexString()).exchange();

		assertThat(result).hasStatus(HttpStatus.ACCEPTED);
		assertThat(result).bodyJson().extractingPath("$.status").isEqualTo("uploaded");
		verify(this.announcements).announce(retried.id(), retried.url());
	}

	@Test
	void refusesToRetryAVideoThatHasNotFailed() {
		ObjectId id = new ObjectId();
		given(this.videos.findById(id)).willReturn(Optional.of(Video.uploaded(id, 42, "http://x/content",
				java.time.Instant.EPOCH, "a.mp4", "video/mp4", java.time.Instant.EPOCH)));

		var result = this.mvc.post().uri("/v1/videos/{id}/retry", id.toHexString()).exchange();

		assertThat(result).hasStatus(HttpStatus.CONFLICT);
		assertThat(result).bodyJson().extractingPath("$.status").isEqualTo("uploaded");
		verifyNoInteractions(this.announcements);
	}

	@Test
	void rejectsAnUploadWithoutAFile() {
		var result = upload(MultipartBody.create().part("video", "a.mp4", SampleVideos.mp4()).bytes());

		assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
		assertThat(result.getResponse().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("'file'");
		verifyNoInteractions(this.files, this.videos, this.announcements);
	}

	@Test
	void rejectsAnEmptyFile() {
		var result = upload(MultipartBody.file("empty.mp4", new byte[0]));

		assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
		assertThat(result).bodyJson().extractingPath("$.title").isEqualTo("Empty upload");
		verifyNoInteractions(this.files, this.videos, this.announcements);
	}

	@Test
	void rejectsBytesThatAreNotAVideoWhateverTheirNameAndType() {
		var result = upload(MultipartBody.file("movie.mp4", "<html>not a video</html>".getBytes()));

		assertThat(result).hasStatus(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
		assertThat(result).bodyJson().extractingPath("$.title").isEqualTo("Not a video");
		verify(this.files, never()).store(any(), any(), anyString(), anyString());
		verifyNoInteractions(this.videos, this.announcements);
	}

	@Test
	void rejectsAnUploadThatIsNotMultipart() {
		var result = this.mvc.post().uri("/v1/videos").contentType(MediaType.APPLICATION_JSON).content("{}").exchange();

		assertThat(result).hasStatus(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
		assertThat(result.getResponse().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
	}

	@Test
	void showsAVideoInTheOriginalJsonShape() {
		Video video = Video.uploaded(new ObjectId(), 42, "http://x/content", java.time.Instant.EPOCH, "a.mp4",
				"video/mp4", java.time.Instant.EPOCH);
		given(this.videos.findById(video.id())).willReturn(Optional.of(video));

		var result = this.mvc.get().uri("/v1/videos/{id}", video.id().toHexString()).exchange();

		assertThat(result).hasStatusOk();
		assertThat(result).bodyJson().isLenientlyEqualTo("""
				{"id": "%s", "width": 0, "height": 0, "size": 42, "duration": 0.0, "url": "http://x/content",
				 "status": "uploaded", "variants": {}, "createdAt": "1970-01-01T00:00:00Z",
				 "updatedAt": "1970-01-01T00:00:00Z"}""".formatted(video.id().toHexString()));
	}

	@Test
	void answersNotFoundForAnUnknownVideo() {
		String id = new ObjectId().toHexString();
		given(this.videos.findById(any())).willReturn(Optional.empty());

		var result = this.mvc.get().uri("/v1/videos/{id}", id).exchange();

		assertThat(result).hasStatus(HttpStatus.NOT_FOUND);
		assertThat(result).bodyJson().extractingPath("$.detail").isEqualTo("No video has the id " + id + ".");
	}

	@Test
	void rejectsAnIdThatIsNotAnObjectId() {
		assertThat(this.mvc.get().uri("/v1/videos/not-an-id")).hasStatus(HttpStatus.BAD_REQUEST)
			.bodyJson()
			.extractingPath("$.title")
			.isEqualTo("Invalid video id");
		assertThat(this.mvc.delete().uri("/v1/videos/123")).hasStatus(HttpStatus.BAD_REQUEST);
		assertThat(this.mvc.get().uri("/v1/videos/zzzzzzzzzzzzzzzzzzzzzzzz/content")).hasStatus(HttpStatus.BAD_REQUEST);
	}

	@Test
	void rejectsBadPaging() {
		assertThat(this.mvc.get().uri("/v1/videos?limit=0")).hasStatus(HttpStatus.BAD_REQUEST)
			.bodyJson()
			.extractingPath("$.parameter")
			.isEqualTo("limit");
		assertThat(this.mvc.get().uri("/v1/videos?limit=101")).hasStatus(HttpStatus.BAD_REQUEST);
		assertThat(this.mvc.get().uri("/v1/videos?skip=-1")).hasStatus(HttpStatus.BAD_REQUEST)
			.bodyJson()
			.extractingPath("$.parameter")
			.isEqualTo("skip");
		assertThat(this.mvc.get().uri("/v1/videos?limit=ten")).hasStatus(HttpStatus.BAD_REQUEST)
			.bodyJson()
			.extractingPath("$.detail")
			.asString()
			.contains("limit");
		verifyNoInteractions(this.videos);
	}

	@Test
	void answersProblemsForUnknownPathsAndWrongMethods() {
		assertThat(this.mvc.get().uri("/v2/nothing-here")).hasStatus(HttpStatus.NOT_FOUND)
			.bodyJson()
			.extractingPath("$.status")
			.isEqualTo(404);
		assertThat(this.mvc.put().uri("/v1/videos")).hasStatus(HttpStatus.METHOD_NOT_ALLOWED)
			.bodyJson()
			.extractingPath("$.status")
			.isEqualTo(405);
	}

	@Test
	void answersTheRootWithStatusOk() {
		assertThat(this.mvc.get().uri("/")).hasStatusOk().bodyJson().isEqualTo("{\"status\":\"ok\"}");
	}

	@TestConfiguration(proxyBeanMethods = false)
	@EnableConfigurationProperties(VideoApiSettings.class)
	static class Settings {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		VideoContext videoContext() {
			return new VideoContext(Tracer.NOOP, ObservationRegistry.NOOP);
		}

	}

	private MvcTestResult upload(byte[] body) {
		return this.mvc.post().uri("/v1/videos").contentType(MultipartBody.CONTENT_TYPE).content(body).exchange();
	}

	private static byte[] sampleVideo() {
		return MultipartBody.file("big_buck_bunny.mp4", SampleVideos.mp4());
	}

}
