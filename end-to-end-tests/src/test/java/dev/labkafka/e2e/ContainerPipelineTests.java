package dev.labkafka.e2e;

import dev.labkafka.testsupport.RealInfrastructure;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The end-to-end scenarios on real MongoDB and real Kafka, in the images docker compose
 * runs. Skipped where there is no Docker.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerPipelineTests extends PipelineEndToEndTests {

	/** Starts the container on first use (the pipeline asks before any test runs). */
	@Override
	String bootstrapServers() {
		RealInfrastructure.kafka.start();
		return RealInfrastructure.kafka.getBootstrapServers();
	}

	@Override
	String mongoUri() {
		RealInfrastructure.mongo.start();
		return RealInfrastructure.mongo.getConnectionString() + "/nthu_distributed_system";
	}

}
