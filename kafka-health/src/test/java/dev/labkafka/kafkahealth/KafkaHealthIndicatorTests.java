package dev.labkafka.kafkahealth;

import java.time.Duration;
import java.util.Map;

import dev.labkafka.testsupport.FreePorts;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

import static org.assertj.core.api.Assertions.assertThat;

@EmbeddedKafka
class KafkaHealthIndicatorTests {

	@Test
	void isUpWithTheClusterWhenTheBrokersAnswer(EmbeddedKafkaBroker broker) throws Exception {
		KafkaHealthIndicator indicator = indicator(broker.getBrokersAsString());
		try {
			Health health = indicator.health();

			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("brokers", 1).containsKey("clusterId");
		}
		finally {
			indicator.destroy();
		}
	}

	@Test
	void isDownWithinItsTimeoutWhenNoBrokerAnswers() throws Exception {
		KafkaHealthIndicator indicator = indicator("127.0.0.1:" + FreePorts.next());
		try {
			long started = System.nanoTime();
			Health health = indicator.health();
			Duration took = Duration.ofNanos(System.nanoTime() - started);

			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(took).as("one budget of 2 s for the whole check, inside a healthcheck's 5 s with MongoDB's")
				.isLessThan(Duration.ofMillis(2500));
		}
		finally {
			indicator.destroy();
		}
	}

	private static KafkaHealthIndicator indicator(String bootstrapServers) {
		return new KafkaHealthIndicator(
				new KafkaAdmin(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers)));
	}

}
