package dev.labkafka.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.TestPropertySource;

/**
 * The pipeline's infrastructure for a Spring Boot test, in the test's JVM: a real Kafka
 * broker (Spring Kafka's embedded KRaft broker, with a transaction log that one broker
 * can hold) and the shared {@link MongoWireServer}. The application's
 * {@code spring.kafka.bootstrap-servers} and {@code spring.mongodb.uri} point at them.
 * <p>
 * A subclass that imports real infrastructure with {@code @ServiceConnection} (the
 * Testcontainers twins) connects to that instead: connection details win over these
 * properties.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@EmbeddedKafka(brokerProperties = { "transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1" })
@TestPropertySource(properties = "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}")
public @interface EmbeddedInfrastructure {

}
