package dev.labkafka.api;

import dev.labkafka.testsupport.RealInfrastructure;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.mongodb.MongoDBContainer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;

/**
 * The API on real MongoDB and Kafka in fresh containers, for trying it from an IDE or
 * with {@code ./mvnw -pl video-api spring-boot:test-run} (needs Docker).
 */
public class TestVideoApiApplication {

	public static void main(String[] args) {
		SpringApplication.from(VideoApiApplication::main).with(Containers.class).run(args);
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Containers {

		@Bean
		@ServiceConnection
		MongoDBContainer mongoContainer() {
			return RealInfrastructure.mongo();
		}

		@Bean
		@ServiceConnection
		KafkaContainer kafkaContainer() {
			return RealInfrastructure.kafka();
		}

	}

}
