package dev.labkafka.kafkaadmin;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code kafka} health component: up when the brokers answer a cluster description.
 * Spring Boot has indicators for MongoDB but none for Kafka. The whole check, however
 * many answers it waits for, takes at most {@link #TIMEOUT}, well inside a container
 * healthcheck's or a probe's timeout.
 */
public class KafkaHealthIndicator implements HealthIndicator {

	/** The longest a check takes. */
	static final Duration TIMEOUT = Duration.ofSeconds(2);

	private final SharedAdmin admin;

	public KafkaHealthIndicator(SharedAdmin admin) {
		this.admin = admin;
	}

	@Override
	public Health health() {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		try {
			DescribeClusterResult cluster = this.admin.get()
				.describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()));
			return Health.up()
				.withDetail("clusterId", cluster.clusterId().get(remaining(deadline), TimeUnit.NANOSECONDS))
				.withDetail("brokers", cluster.nodes().get(remaining(deadline), TimeUnit.NANOSECONDS).size())
				.build();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Health.down(ex).build();
		}
		catch (Exception ex) {
			return Health.down(ex).build();
		}
	}

	private static long remaining(long deadline) {
		return Math.max(0, deadline - System.nanoTime());
	}

}
