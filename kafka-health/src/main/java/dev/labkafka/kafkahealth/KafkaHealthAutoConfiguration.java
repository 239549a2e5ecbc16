package dev.labkafka.kafkahealth;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Adds the {@code kafka} health component to a service that has Boot's Kafka
 * auto-configuration, and looks the cluster's id up once at startup
 * ({@link KafkaClusterId}).
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
@ConditionalOnBean(KafkaAdmin.class)
public class KafkaHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "kafkaHealthIndicator")
	KafkaHealthIndicator kafkaHealthIndicator(KafkaAdmin kafkaAdmin) {
		return new KafkaHealthIndicator(kafkaAdmin);
	}

	@Bean
	@ConditionalOnMissingBean
	KafkaClusterId kafkaClusterId(KafkaAdmin kafkaAdmin) {
		return new KafkaClusterId(kafkaAdmin);
	}

}
