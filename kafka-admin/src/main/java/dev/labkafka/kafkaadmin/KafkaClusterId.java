package dev.labkafka.kafkaadmin;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Looks the Kafka cluster's id up once, at startup and within 2 s, and hands it to Spring
 * Kafka's admin; when Kafka cannot be reached then, it hands over {@value #UNKNOWN}.
 * Spring Kafka's templates and listener containers name the cluster in their traces: left
 * to themselves, they look its id up on every send while it is not known, each time
 * waiting up to the admin's operation timeout, under a lock, and logging an error, which
 * would queue uploads one behind the other while Kafka is down.
 */
public class KafkaClusterId implements SmartInitializingSingleton {

	/** What traces name the cluster when Kafka could not be reached at startup. */
	public static final String UNKNOWN = "unknown";

	private static final Duration TIMEOUT = Duration.ofSeconds(2);

	private static final Log logger = LogFactory.getLog(KafkaClusterId.class);

	private final KafkaAdmin kafkaAdmin;

	private final SharedAdmin admin;

	public KafkaClusterId(KafkaAdmin kafkaAdmin, SharedAdmin admin) {
		this.kafkaAdmin = kafkaAdmin;
		this.admin = admin;
	}

	@Override
	public void afterSingletonsInstantiated() {
		if (this.kafkaAdmin.getClusterId() == null) {
			String clusterId = lookUp();
			this.kafkaAdmin.setClusterId((clusterId != null) ? clusterId : UNKNOWN);
		}
	}

	private @Nullable String lookUp() {
		try {
			return this.admin.get()
				.describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()))
				.clusterId()
				.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
		catch (Exception ex) {
			logger.info("Kafka cannot be reached yet; traces will name the cluster '" + UNKNOWN + "': " + ex);
			return null;
		}
	}

}
