package dev.labkafka.testsupport;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A Kafka broker of a test's own (Spring Kafka's embedded KRaft broker), as
 * {@link EmbeddedInfrastructure} makes it: one node, with a transaction log that one
 * broker can hold. For tests that start and stop applications themselves; close it with
 * {@link EmbeddedKafkaKraftBroker#destroy()}.
 */
public final class TestBrokers {

	private TestBrokers() {
	}

	/** A started broker with these topics (one partition each). */
	public static EmbeddedKafkaKraftBroker start(String... topics) {
		EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1, topics);
		broker.brokerProperty("transaction.state.log.replication.factor", "1");
		broker.brokerProperty("transaction.state.log.min.isr", "1");
		broker.afterPropertiesSet();
		return broker;
	}

}
