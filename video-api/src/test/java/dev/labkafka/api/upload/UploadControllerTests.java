package dev.labkafka.api.upload;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

import dev.labkafka.api.VideoApiApplication;
import dev.labkafka.api.VideoApiSettings;
import dev.labkafka.api.catalog.VideoCatalog;
import dev.labkafka.api.catalog.VideoFiles;
import dev.labkafka.api.problems.ProblemTypes;
import dev.labkafka.api.tracing.VideoContext;
import dev.labkafka.testsupport.MultipartBody;
import dev.labkafka.testsupport.SampleVideos;
import dev.labkafka.videos.Video;
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
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

/**
 * The multipart upload over HTTP and its problems, with the storage and the catalog
 * mocked.
 */
@WebMvcTest(controllers = UploadController.class,
		properties = { VideoApiApplication.CONFIG_NAME, "video.api.upload.max-file-size=2MB" })
@Import({ Uploads.class, UploadMetrics.class, UploadSlots.class, ProblemTypes.class })
class UploadControllerTests {

	@Autowired
	MockMvcTester mvc;

	@MockitoBean
	VideoFiles files;

	@MockitoBean
	VideoCatalog catalog;

	@BeforeEach
	void storingReadsTheWholeFile() {
		given(this.files.store(any(), any(), any(), any()))
			.willAnswer((invocation) -> invocation.getArgument(1, InputStream.class)
				.transferTo(OutputStream.nullOutputStream()));
		given(this.catalog.record(any(), anyLong(), any(), any()))
			.willAnswer((invocation) -> Video.uploaded(invocation.getArgument(0), invocation.getArgument(1),
					"http://localhost:10080/v1/videos/" + invocation.getArgument(0, ObjectId.class).toHexString()
							+ "/content",
					Instant.EPOCH, invocation.getArgument(2), invocation.getArgument(3), Instant.EPOCH));
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
		InOrder order = inOrder(this.files, this.catalog);
		order.verify(this.files).store(eq(new ObjectId(id)), any(), eq("big_buck_bunny.mp4"), eq("video/mp4"));
		order.verify(this.catalog)
			.record(new ObjectId(id), SampleVideos.mp4().length, "big_buck_bunny.mp4", "video/mp4");
	}

	@Test
	void removesTheBytesOnceTheDatabaseIsBackWhenTheDocumentCannotBeStored() {
		willThrow(new DataAccessResourceFailureException("database down")).given(this.catalog)
			.record(any(), anyLong(), any(), any());

		var result = upload(sampleVideo());

		assertThat(result).hasStatus(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(result).hasHeader("Retry-After", "5");
		assertThat(result).bodyJson().extractingPath("$.title").isEqualTo("Database unavailable");
		verify(this.files).removeLater(any());
		verify(this.files, never()).delete(any());
	}

	@Test
	void refusesAFileOverTheLimitAndStoresNoDocument() {
		// Over the file limit, not over the request's (file plus 1 MB): refused as it
		// streams.
		var result = upload(MultipartBody.file("huge.mp4", Arrays.copyOf(SampleVideos.mp4(), 5 * 512 * 1024)));

		assertThat(result).hasStatus(HttpStatus.CONTENT_TOO_LARGE);
		assertThat(result).bodyJson().extractingPath("$.title").isEqualTo("Upload too large");
		assertThat(result).bodyJson().extractingPath("$.maxFileSize").isEqualTo(2 * 1024 * 1024);
		verifyNoInteractions(this.catalog);
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
		verifyNoInteractions(this.catalog);
	}

	@Test
	void rejectsABodyWithoutParts() {
		var result = upload("no boundary anywhere in here".getBytes());

		assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
		assertThat(result).bodyJson().extractingPath("$.title").isEqualTo("No file in the upload");
		verifyNoInteractions(this.files, this.catalog);
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
		verifyNoInteractions(this.catalog);
	}

	@Test
	void rejectsAnUploadWithoutAFile() {
		var result = upload(MultipartBody.create().part("video", "a.mp4", SampleVideos.mp4()).bytes());

		assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
		assertThat(result.getResponse().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("'file'");
		verifyNoInteractions(this.files, this.catalog);
	}

	@Test
	void rejectsAnEmptyFile() {
		var result = upload(MultipartBody.file("empty.mp4", new byte[0]));

		assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
		assertThat(result).bodyJson().extractingPath("$.title").isEqualTo("Empty upload");
		verifyNoInteractions(this.files, this.catalog);
	}

	@Test
	void rejectsBytesThatAreNotAVideoWhateverTheirNameAndType() {
		var result = upload(MultipartBody.file("movie.mp4", "<html>not a video</html>".getBytes()));

		assertThat(result).hasStatus(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
		assertThat(result).bodyJson().extractingPath("$.title").isEqualTo("Not a video");
		verify(this.files, never()).store(any(), any(), anyString(), anyString());
		verifyNoInteractions(this.catalog);
	}

	@Test
	void rejectsAnUploadThatIsNotMultipart() {
		var result = this.mvc.post().uri("/v1/videos").contentType(MediaType.APPLICATION_JSON).content("{}").exchange();

		assertThat(result).hasStatus(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
		assertThat(result.getResponse().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
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
