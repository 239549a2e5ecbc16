package dev.labkafka.kafkaadmin;

import java.time.Duration;

import org.apache.kafka.clients.admin.Admin;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The one Kafka admin client of a service, for what Spring Kafka's {@link KafkaAdmin}
 * does not offer itself (consumer groups, their offsets, the cluster): made from the
 * {@code KafkaAdmin}'s configuration (Boot's {@code spring.kafka.admin.*}) on first use,
 * so that a service starts even while Kafka cannot be reached by name, and closed when
 * the application context closes. Made again on the next use when making it failed.
 */
public class SharedAdmin implements DisposableBean {

	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(1);

	private final KafkaAdmin kafkaAdmin;

	private @Nullable Admin admin;

	private boolean closed;

	public SharedAdmin(KafkaAdmin kafkaAdmin) {
		this.kafkaAdmin = kafkaAdmin;
	}

	/**
	 * The client.
	 * @throws org.apache.kafka.common.KafkaException when it cannot be made (no broker
	 * address resolves)
	 * @throws IllegalStateException once the application context is closing
	 */
	public synchronized Admin get() {
		if (this.closed) {
			throw new IllegalStateException("The Kafka admin client is closed: the application is stopping");
		}
		if (this.admin == null) {
			this.admin = Admin.create(this.kafkaAdmin.getConfigurationProperties());
		}
		return this.admin;
	}

	@Override
	public synchronized void destroy() {
		this.closed = true;
		if (this.admin != null) {
			this.admin.close(CLOSE_TIMEOUT);
			this.admin = null;
		}
	}

}
