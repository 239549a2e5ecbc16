package dev.labkafka.e2e;

import dev.labkafka.testsupport.MongoWireServer;
import dev.labkafka.testsupport.TestBrokers;
import org.junit.jupiter.api.AfterAll;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The end-to-end scenarios on a real Kafka broker (Spring Kafka's embedded KRaft broker)
 * and the MongoDB-wire server, both in this JVM: where there is no Docker.
 */
class EmbeddedPipelineTests extends PipelineEndToEndTests {

	/** Started with the class, before the pipeline that uses it. */
	static final EmbeddedKafkaKraftBroker kafka = TestBrokers.start();

	@AfterAll
	static void stopKafka() {
		kafka.destroy();
	}

	@Override
	String bootstrapServers() {
		return kafka.getBrokersAsString();
	}

	@Override
	String mongoUri() {
		return MongoWireServer.shared().uri();
	}

}
