package dev.labkafka.stream.rendition;

import dev.labkafka.testsupport.RealInfrastructure;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.mongodb.MongoDBContainer;

import org.springframework.boot.testcontainers.service.connection.ServiceConnection;

/**
 * The scenarios of {@link StreamIntegrationTests}, on real MongoDB and real Kafka in
 * containers. Skipped where there is no Docker.
 */
@Testcontainers(disabledWithoutDocker = true)
class StreamOnRealInfrastructureTests extends StreamIntegrationTests {

	@Container
	@ServiceConnection
	static final MongoDBContainer mongo = RealInfrastructure.mongo();

	@Container
	@ServiceConnection
	static final KafkaContainer kafkaContainer = RealInfrastructure.kafka();

}
