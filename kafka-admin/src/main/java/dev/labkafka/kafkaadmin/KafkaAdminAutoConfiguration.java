package dev.labkafka.kafkaadmin;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Makes the service's one Kafka admin client ({@link SharedAdmin}), adds the
 * {@code kafka} health component to a service that has Boot's Kafka auto-configuration,
 * and looks the cluster's id up once at startup ({@link KafkaClusterId}).
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
@ConditionalOnBean(KafkaAdmin.class)
public class KafkaAdminAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SharedAdmin sharedAdmin(KafkaAdmin kafkaAdmin) {
		return new SharedAdmin(kafkaAdmin);
	}

	@Bean
	@ConditionalOnMissingBean(name = "kafkaHealthIndicator")
	KafkaHealthIndicator kafkaHealthIndicator(SharedAdmin admin) {
		return new KafkaHealthIndicator(admin);
	}

	@Bean
	@ConditionalOnMissingBean
	KafkaClusterId kafkaClusterId(KafkaAdmin kafkaAdmin, SharedAdmin admin) {
		return new KafkaClusterId(kafkaAdmin, admin);
	}

}
