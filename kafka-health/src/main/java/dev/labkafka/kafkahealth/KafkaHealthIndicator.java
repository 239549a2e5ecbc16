package dev.labkafka.kafkahealth;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The {@code kafka} health component: up when the brokers answer a cluster description.
 * Spring Boot has indicators for MongoDB but none for Kafka. The whole check, however
 * many answers it waits for, takes at most {@link #TIMEOUT}, well inside a container
 * healthcheck's or a probe's timeout.
 */
public class KafkaHealthIndicator implements HealthIndicator, DisposableBean {

	/** The longest a check takes. */
	static final Duration TIMEOUT = Duration.ofSeconds(2);

	private final KafkaAdmin kafkaAdmin;

	private volatile @Nullable Admin admin;

	public KafkaHealthIndicator(KafkaAdmin kafkaAdmin) {
		this.kafkaAdmin = kafkaAdmin;
	}

	@Override
	public Health health() {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		try {
			DescribeClusterResult cluster = admin()
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

	/**
	 * The admin client, made on first use, so that a service starts even while Kafka
	 * cannot be reached by name (the check then reports it down).
	 */
	private Admin admin() {
		Admin admin = this.admin;
		if (admin == null) {
			synchronized (this) {
				admin = this.admin;
				if (admin == null) {
					admin = Admin.create(this.kafkaAdmin.getConfigurationProperties());
					this.admin = admin;
				}
			}
		}
		return admin;
	}

	@Override
	public void destroy() {
		Admin admin = this.admin;
		if (admin != null) {
			admin.close(Duration.ofSeconds(1));
		}
	}

}
