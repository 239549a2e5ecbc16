package dev.labkafka.api.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.labkafka.api.VideoApiApplication;
import dev.labkafka.api.VideoApiSettings;
import dev.labkafka.api.outbox.Outbox;
import dev.labkafka.api.problems.ProblemTypes;
import dev.labkafka.api.tracing.VideoContext;
import dev.labkafka.videos.SegmentProgress;
import dev.labkafka.videos.Video;
import dev.labkafka.videos.VideoFields;
import dev.labkafka.videos.VideoStatus;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

/**
 * The catalog's HTTP surface and its problems, with the storage and the outbox mocked.
 */
@WebMvcTest(controllers = VideoController.class, properties = VideoApiApplication.CONFIG_NAME)
@Import({ VideoCatalog.class, ProblemTypes.class })
@RecordApplicationEvents
class VideoControllerTests {

	@Autowired
	MockMvcTester mvc;

	@Autowired
	ApplicationEvents events;

	@MockitoBean
	Videos videos;

	@MockitoBean
	VideoFiles files;

	@MockitoBean
	Outbox outbox;

	@Test
	void deletesAVideoWhoseBytesCannotBeRemovedYetAndRemovesThemLater() {
		ObjectId id = new ObjectId();
		given(this.videos.delete(id)).willReturn(true);
		willThrow(new DataAccessResourceFailureException("database gone")).given(this.files).delete(id);

		var result = this.mvc.delete().uri("/v1/videos/{id}", id.toHexString()).exchange();

		assertThat(result).hasStatusOk();
		verify(this.files).removeLater(id);
		assertThat(this.events.stream(VideoChanged.class)).containsExactly(VideoChanged.gone(id.toHexString()));
	}

	@Test
	void retriesAFailedVideo() {
		ObjectId id = new ObjectId();
		Video retried = Video.uploaded(id, 42, "http://x/content", java.time.Instant.EPOCH, "a.mp4", "video/mp4",
				java.time.Instant.EPOCH);
		given(this.videos.retryFailed(eq(id), any())).willReturn(retried);

		var result = this.mvc.post().uri("/v1/videos/{id}/retry", id.toHexString()).exchange();

		assertThat(result).hasStatus(HttpStatus.ACCEPTED);
		assertThat(result).bodyJson().extractingPath("$.status").isEqualTo("uploaded");
		verify(this.outbox).announce(retried.id(), retried.url());
		assertThat(this.events.stream(VideoChanged.class)).containsExactly(VideoChanged.status(id.toHexString()));
	}

	@Test
	void refusesToRetryAVideoThatHasNotFailed() {
		ObjectId id = new ObjectId();
		given(this.videos.findById(id)).willReturn(Optional.of(Video.uploaded(id, 42, "http://x/content",
				java.time.Instant.EPOCH, "a.mp4", "video/mp4", java.time.Instant.EPOCH)));

		var result = this.mvc.post().uri("/v1/videos/{id}/retry", id.toHexString()).exchange();

		assertThat(result).hasStatus(HttpStatus.CONFLICT);
		assertThat(result).bodyJson().extractingPath("$.status").isEqualTo("uploaded");
		verify(this.outbox, never()).announce(any(), any());
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
	void showsTheProgressOfEachRenditionCutIntoSegmentsAsCountsAndAPercentage() {
		ObjectId id = new ObjectId();
		Video video = new Video(id, 1920, 1080, 42L, 180.0, "http://x/content", VideoStatus.ENCODING,
				Map.of("360", "http://x/variants/360"), null, Instant.EPOCH, Instant.EPOCH, "long.mp4", "video/mp4",
				null, null, null, null, null, null, null, null,
				Map.of("1080", new SegmentProgress(18, List.of(0, 1, 2, 3, 5, 8, 13)), "720",
						new SegmentProgress(18, List.of()), "480", new SegmentProgress(18, null)),
				VideoFields.SOUND_PLANNED);
		given(this.videos.findById(id)).willReturn(Optional.of(video));
		given(this.videos.newestFirst(0, 20)).willReturn(List.of(video));

		var one = this.mvc.get().uri("/v1/videos/{id}", id.toHexString()).exchange();

		assertThat(one).hasStatusOk();
		assertThat(one).bodyJson()
			.extractingPath("$.segments")
			.isEqualTo(Map.of("1080", Map.of("planned", 18, "done", 7, "percent", 38), "720",
					Map.of("planned", 18, "done", 0, "percent", 0), "480",
					Map.of("planned", 18, "done", 0, "percent", 0)));
		assertThat(one).bodyJson().doesNotHavePath("$.sound");
		var list = this.mvc.get().uri("/v1/videos").exchange();
		assertThat(list).bodyJson().extractingPath("$.videos[0].segments.1080.percent").isEqualTo(38);
	}

	@Test
	void showsNoSegmentsForAVideoWhoseRenditionsAreWhole() {
		Video video = Video.uploaded(new ObjectId(), 42, "http://x/content", Instant.EPOCH, "a.mp4", "video/mp4",
				Instant.EPOCH);
		given(this.videos.findById(video.id())).willReturn(Optional.of(video));

		var result = this.mvc.get().uri("/v1/videos/{id}", video.id().toHexString()).exchange();

		assertThat(result).bodyJson().doesNotHavePath("$.segments");
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

	@TestConfiguration(proxyBeanMethods = false)
	@EnableConfigurationProperties(VideoApiSettings.class)
	static class Settings {

		@Bean
		VideoContext videoContext() {
			return new VideoContext(Tracer.NOOP, ObservationRegistry.NOOP);
		}

	}

}
