package dev.labkafka.api;

import java.time.Duration;
import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.labkafka.testsupport.SampleVideos;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Health, liveness, readiness and the API's own metrics, as an operator or Prometheus
 * sees them.
 */
class ObservabilityIntegrationTests extends ApiIntegrationTests {

	@Test
	void tellsAnonymousCallersTheHealthStatusAndNothingElse() {
		for (String path : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness",
				"/livez", "/readyz")) {
			ResponseEntity<String> response = this.http.get().uri(path).retrieve().toEntity(String.class);

			assertThat(response.getStatusCode()).as(path).isEqualTo(HttpStatus.OK);
			assertThat(json.readTree(response.getBody()).get("status").asString()).as(path).isEqualTo("UP");
			assertThat(json.readTree(response.getBody()).propertyNames()).as(path + ": the probes' names at most")
				.isSubsetOf("status", "groups");
		}
	}

	@Test
	void exposesTheUploadMetricsToPrometheus() {
		idOf(upload("measured.mp4", SampleVideos.mp4()));
		upload("not-a-video.mp4", "plain text".getBytes());

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.http.get().uri("/actuator/prometheus").retrieve().body(String.class))
				.contains("videos_uploads_seconds_count{", "outcome=\"stored\"", "outcome=\"rejected\"")
				.contains("videos_upload_size_bytes_sum")
				.contains("videos_outbox_backlog")
				.contains("videos_announcements_total{", "outcome=\"sent\""));
	}

	@Test
	void timesNoMongoCommandsButKeepsThePoolMeters() {
		String id = idOf(upload("read-back.mp4", SampleVideos.mp4()));
		this.http.get().uri("/v1/videos/{id}/content", id).retrieve().toBodilessEntity();

		String scrape = this.http.get().uri("/actuator/prometheus").retrieve().body(String.class);
		// A command listener would make the driver copy every reply (docs/benchmarks.md).
		assertThat(scrape).contains("mongodb_driver_pool_size").doesNotContain("mongodb_driver_commands");
	}

	@Test
	void putsTheVideoIdInTheLoggingContextOfEveryLineAboutTheVideo() {
		ListAppender<ILoggingEvent> lines = new ListAppender<>();
		lines.start();
		Logger videoLogs = (Logger) LoggerFactory.getLogger("dev.labkafka.api");
		videoLogs.addAppender(lines);
		try {
			String id = idOf(upload("logged.mp4", SampleVideos.mp4()));
			this.http.delete().uri("/v1/videos/{id}", id).retrieve().toBodilessEntity();

			assertThat(lines.list).filteredOn((line) -> line.getFormattedMessage().contains(id))
				.extracting(ILoggingEvent::getFormattedMessage)
				.anyMatch((message) -> message.startsWith("Stored video"))
				.anyMatch((message) -> message.startsWith("Deleted video"));
			assertThat(lines.list).filteredOn((line) -> line.getFormattedMessage().contains(id))
				.allSatisfy((line) -> assertThat(line.getMDCPropertyMap()).containsEntry("videoId", id));
		}
		finally {
			videoLogs.detachAppender(lines);
		}
	}

	@Test
	void exposesOnlyHealthInfoAndPrometheus() {
		assertThat(this.http.get().uri("/actuator/env").retrieve().toBodilessEntity().getStatusCode())
			.isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(this.http.get().uri("/actuator/info").retrieve().toBodilessEntity().getStatusCode())
			.isEqualTo(HttpStatus.OK);
		assertThat(this.http.get().uri("/actuator/health/kafka").retrieve().toBodilessEntity().getStatusCode())
			.as("no component to anonymous callers")
			.isEqualTo(HttpStatus.NOT_FOUND);
	}

}
