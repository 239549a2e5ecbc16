package dev.labkafka.e2e;

import java.util.Map;

import dev.labkafka.testsupport.MongoWireServer;
import org.junit.jupiter.api.AfterAll;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The end-to-end scenarios on a real Kafka broker (Spring Kafka's embedded KRaft broker)
 * and the MongoDB-wire server, both in this JVM: where there is no Docker.
 */
class EmbeddedPipelineTests extends PipelineEndToEndTests {

	/** Started with the class, before the pipeline that uses it. */
	static final EmbeddedKafkaKraftBroker kafka = startKafka();

	static EmbeddedKafkaKraftBroker startKafka() {
		EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
		// One broker: the worker's transactions need a transaction log with one replica.
		broker.brokerProperties(
				Map.of("transaction.state.log.replication.factor", "1", "transaction.state.log.min.isr", "1"));
		broker.afterPropertiesSet();
		return broker;
	}

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
