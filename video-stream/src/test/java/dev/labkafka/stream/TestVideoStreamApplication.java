package dev.labkafka.stream;

import dev.labkafka.testsupport.RealInfrastructure;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.context.ImportTestcontainers;

/**
 * The worker on real MongoDB and Kafka in fresh containers, for trying it from an IDE or
 * with {@code ./mvnw -pl video-stream spring-boot:test-run} after
 * {@code ./mvnw install -DskipTests} (needs Docker).
 */
public class TestVideoStreamApplication {

	public static void main(String[] args) {
		SpringApplication.from(VideoStreamApplication::main).with(Containers.class).run(args);
	}

	@TestConfiguration(proxyBeanMethods = false)
	@ImportTestcontainers(RealInfrastructure.class)
	static class Containers {

	}

}
