package dev.labkafka.stream.rendition;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;

/**
 * The worker's two kinds of consumers, each configured by Spring Boot from the
 * {@code spring.kafka.*} properties, with the thread counts of {@link StreamSettings}:
 * <ul>
 * <li>the fan-out's, transactional: a fan-out's rendition messages commit together with
 * its consumer offset (Boot sets the transaction manager and the after-rollback
 * processor);</li>
 * <li>the renditions', without transactions: a rendition produces no message, so it needs
 * none, and a transaction would abort any rendition longer than
 * {@code transaction.timeout.ms}. Each consumer takes one record per poll and may hold it
 * for {@code video.stream.transcode-timeout}; its offset is committed once the variant is
 * recorded (at least once, made harmless by recording idempotently). Kafka's round-robin
 * assignor deals consecutive partitions to different consumers, so a video's renditions,
 * which the fan-out puts on consecutive partitions, run side by side.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class ListenerFactories {

	/** The fan-out's factory; its name makes it Spring Boot's default one. */
	@Bean
	ConcurrentKafkaListenerContainerFactory<Object, Object> kafkaListenerContainerFactory(
			ConcurrentKafkaListenerContainerFactoryConfigurer configurer, ConsumerFactory<Object, Object> consumers,
			StreamSettings settings) {
		ConcurrentKafkaListenerContainerFactory<Object, Object> factory = new ConcurrentKafkaListenerContainerFactory<>();
		configurer.configure(factory, consumers);
		factory.setConcurrency(settings.fanOutConcurrency());
		return factory;
	}

	/**
	 * The renditions' factory, also used for their retry and dead-letter topics. Its
	 * consumers are Spring Boot's, with the three settings above changed (a factory's own
	 * consumer properties would not reach its containers).
	 */
	@Bean
	ConcurrentKafkaListenerContainerFactory<Object, Object> renditionListenerContainerFactory(
			ConcurrentKafkaListenerContainerFactoryConfigurer configurer, ConsumerFactory<Object, Object> consumers,
			ObjectProvider<DefaultKafkaConsumerFactoryCustomizer> customizers, StreamSettings settings) {
		Map<String, Object> properties = new HashMap<>(consumers.getConfigurationProperties());
		properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
		properties.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) settings.maxPollInterval().toMillis());
		properties.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
		DefaultKafkaConsumerFactory<Object, Object> renditionConsumers = new DefaultKafkaConsumerFactory<>(properties);
		customizers.orderedStream().forEach((customizer) -> customizer.customize(renditionConsumers));
		ConcurrentKafkaListenerContainerFactory<Object, Object> factory = new ConcurrentKafkaListenerContainerFactory<>();
		configurer.configure(factory, renditionConsumers);
		factory.setConcurrency(settings.renditionConcurrency());
		factory.getContainerProperties().setKafkaAwareTransactionManager(null);
		return factory;
	}

}
