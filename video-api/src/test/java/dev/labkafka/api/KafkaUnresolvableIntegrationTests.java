package dev.labkafka.api;

import java.time.Duration;

import dev.labkafka.api.VideoApiApplication;
import dev.labkafka.testsupport.MongoWireServer;
import dev.labkafka.testsupport.MultipartBody;
import dev.labkafka.testsupport.SampleVideos;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka's host name does not resolve (in compose, while its container is stopped): the
 * API starts all the same, is ready, and keeps uploads in its outbox.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { VideoApiApplication.CONFIG_NAME, "spring.kafka.bootstrap-servers=kafka.invalid:9092" })
class KafkaUnresolvableIntegrationTests {

	@DynamicPropertySource
	static void mongo(DynamicPropertyRegistry registry) {
		registry.add("spring.mongodb.uri", MongoWireServer.shared()::uri);
	}

	@LocalServerPort
	int port;

	@Test
	void startsReadyAndTakesUploads() {
		RestClient http = RestClient.builder()
			.baseUrl("http://localhost:" + this.port)
			.defaultStatusHandler((status) -> true, (request, response) -> {
			})
			.build();

		assertThat(http.get().uri("/actuator/health/readiness").retrieve().toBodilessEntity().getStatusCode())
			.isEqualTo(HttpStatus.OK);
		long started = System.nanoTime();
		ResponseEntity<String> upload = http.post()
			.uri("/v1/videos")
			.header("Content-Type", MultipartBody.CONTENT_TYPE)
			.body(MultipartBody.file("clip.mp4", SampleVideos.mp4()))
			.retrieve()
			.toEntity(String.class);
		assertThat(upload.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
		assertThat(upload.getBody()).contains("\"status\":\"uploaded\"");
	}

}
