package dev.labkafka.e2e;

import dev.labkafka.testsupport.RealInfrastructure;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.mongodb.MongoDBContainer;

/**
 * The end-to-end scenarios on real MongoDB and real Kafka, in the images docker compose
 * runs. Skipped where there is no Docker.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerPipelineTests extends PipelineEndToEndTests {

	@Container
	static final MongoDBContainer mongo = RealInfrastructure.mongo();

	@Container
	static final KafkaContainer kafka = RealInfrastructure.kafka();

	@Override
	String bootstrapServers() {
		return kafka.getBootstrapServers();
	}

	@Override
	String mongoUri() {
		return mongo.getConnectionString() + "/nthu_distributed_system";
	}

}
