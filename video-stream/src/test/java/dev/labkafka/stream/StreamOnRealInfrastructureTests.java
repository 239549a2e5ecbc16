package dev.labkafka.stream;

import dev.labkafka.testsupport.RealInfrastructure;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.boot.testcontainers.context.ImportTestcontainers;

/**
 * The scenarios of {@link StreamIntegrationTests}, on real MongoDB and real Kafka in
 * containers. Skipped where there is no Docker.
 */
@Testcontainers(disabledWithoutDocker = true)
@ImportTestcontainers(RealInfrastructure.class)
class StreamOnRealInfrastructureTests extends StreamIntegrationTests {

}
