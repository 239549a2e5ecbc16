package dev.labkafka.kafkaadmin;

import java.time.Duration;
import java.util.Map;

import dev.labkafka.localstack.FreePorts;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

@EmbeddedKafka
class KafkaHealthIndicatorTests {

	@Test
	void isUpWithTheClusterWhenTheBrokersAnswer(EmbeddedKafkaBroker broker) throws Exception {
		SharedAdmin admin = admin(broker.getBrokersAsString());
		KafkaHealthIndicator indicator = new KafkaHealthIndicator(admin);
		try {
			Health health = indicator.health();

			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("brokers", 1).containsKey("clusterId");
		}
		finally {
			admin.destroy();
		}
	}

	@Test
	void isDownWithinItsTimeoutWhenNoBrokerAnswers() throws Exception {
		SharedAdmin admin = admin("127.0.0.1:" + FreePorts.next());
		KafkaHealthIndicator indicator = new KafkaHealthIndicator(admin);
		try {
			long started = System.nanoTime();
			Health health = indicator.health();
			Duration took = Duration.ofNanos(System.nanoTime() - started);

			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(took).as("one budget of 2 s for the whole check, inside a healthcheck's 5 s with MongoDB's")
				.isLessThan(Duration.ofMillis(2500));
		}
		finally {
			admin.destroy();
		}
	}

	@Test
	void makesOneClientAndNoneOnceClosed(EmbeddedKafkaBroker broker) {
		SharedAdmin admin = admin(broker.getBrokersAsString());
		assertThat(admin.get()).isSameAs(admin.get());
		admin.destroy();
		assertThatIllegalStateException().isThrownBy(admin::get);
	}

	private static SharedAdmin admin(String bootstrapServers) {
		return new SharedAdmin(new KafkaAdmin(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers)));
	}

}
