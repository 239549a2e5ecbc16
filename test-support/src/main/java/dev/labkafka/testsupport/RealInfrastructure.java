package dev.labkafka.testsupport;

import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.mongodb.MongoDBContainer;

/**
 * Real MongoDB and real Kafka in containers, the images docker-compose.yml runs, for the
 * tests that run their scenarios on them too where Docker exists.
 */
public final class RealInfrastructure {

	/** The MongoDB image of docker-compose.yml. */
	public static final String MONGO_IMAGE = "mongo:8.0";

	/** The Kafka image of docker-compose.yml. */
	public static final String KAFKA_IMAGE = "apache/kafka:4.1.2";

	private RealInfrastructure() {
	}

	public static MongoDBContainer mongo() {
		return new MongoDBContainer(MONGO_IMAGE);
	}

	/** A one-node KRaft broker; the worker's transactions work on it. */
	public static KafkaContainer kafka() {
		return new KafkaContainer(KAFKA_IMAGE).withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
			.withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1");
	}

}
