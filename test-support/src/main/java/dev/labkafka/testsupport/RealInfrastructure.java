package dev.labkafka.testsupport;

import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.mongodb.MongoDBContainer;

import org.springframework.boot.testcontainers.service.connection.ServiceConnection;

/**
 * Real MongoDB and real Kafka in containers, the images docker-compose.yml runs. A test
 * or test application imports them with
 * {@code @ImportTestcontainers(RealInfrastructure.class)}: Spring Boot starts them and
 * connects the application through {@code @ServiceConnection}. Needs Docker.
 */
public interface RealInfrastructure {

	/** MongoDB, as in docker-compose.yml. */
	@ServiceConnection
	MongoDBContainer mongo = new MongoDBContainer("mongo:8.0");

	/**
	 * A one-node KRaft broker, as in docker-compose.yml; the worker's transactions work
	 * on it.
	 */
	@ServiceConnection
	KafkaContainer kafka = new KafkaContainer("apache/kafka:4.1.2")
		.withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
		.withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1");

}
