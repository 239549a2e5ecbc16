package dev.labkafka.stream.messaging;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.labkafka.messages.VideoMessage;
import dev.labkafka.stream.StreamSettings;
import dev.labkafka.stream.media.WorkFiles;
import dev.labkafka.stream.progress.VideoProgress;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.FixedBackOff;

/**
 * The worker's kinds of consumers, each configured by Spring Boot from the
 * {@code spring.kafka.*} properties, with the thread counts of {@link StreamSettings}:
 * <ul>
 * <li>the fan-out's, transactional: a fan-out's rendition messages commit together with
 * its consumer offset (Boot sets the transaction manager and the after-rollback
 * processor);</li>
 * <li>the renditions', without transactions: a rendition produces no message, so it needs
 * none, and a transaction would abort any rendition longer than
 * {@code transaction.timeout.ms}. Each consumer takes one record per poll and may hold it
 * for {@code video.stream.transcode-timeout}; its offset is committed once the variant is
 * recorded (at least once, made harmless by recording idempotently), and once idle past
 * the fan-out's transaction markers too ({@link IdleRenditionOffsets}). The fan-out puts
 * a video's renditions on partitions of different consumers (the fan-out module's
 * {@code RenditionPartitions}), so they run side by side.</li>
 * <li>the probe's, like the renditions', on the uploads topic in a group of its own.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class ListenerFactories {

	private static final Logger logger = LoggerFactory.getLogger(ListenerFactories.class);

	/**
	 * Probe consumer threads per process: probes are short, and six partitions at most.
	 */
	private static final int PROBE_CONCURRENCY = 2;

	private static final Duration PROBE_RETRY_INTERVAL = Duration.ofSeconds(2);

	private static final long PROBE_RETRIES = 2;

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
	 * The renditions' factory, also used for their retry and dead-letter topics.
	 */
	@Bean
	ConcurrentKafkaListenerContainerFactory<Object, Object> renditionListenerContainerFactory(
			ConcurrentKafkaListenerContainerFactoryConfigurer configurer, ConsumerFactory<Object, Object> consumers,
			ObjectProvider<DefaultKafkaConsumerFactoryCustomizer> customizers, StreamSettings settings) {
		ConcurrentKafkaListenerContainerFactory<Object, Object> factory = oneRecordAtATime(configurer, consumers,
				customizers, settings);
		factory.setConcurrency(settings.renditionConsumers());
		factory.getContainerProperties().setIdleEventInterval(IdleRenditionOffsets.INTERVAL.toMillis());
		return factory;
	}

	/**
	 * The probe's factory: like the renditions' (a probe copies the whole source first),
	 * with a few threads. A probe that fails for a passing reason is retried in place a
	 * few times, then given up: its video fails with the reason (a video probed here is
	 * done only once its probe is, so it is never done without its size, length and
	 * poster frame).
	 */
	@Bean
	ConcurrentKafkaListenerContainerFactory<Object, Object> probeListenerContainerFactory(
			ConcurrentKafkaListenerContainerFactoryConfigurer configurer, ConsumerFactory<Object, Object> consumers,
			ObjectProvider<DefaultKafkaConsumerFactoryCustomizer> customizers, StreamSettings settings,
			VideoProgress progress, WorkFiles work) {
		ConcurrentKafkaListenerContainerFactory<Object, Object> factory = oneRecordAtATime(configurer, consumers,
				customizers, settings);
		factory.setConcurrency(PROBE_CONCURRENCY);
		DefaultErrorHandler errors = new DefaultErrorHandler((record, ex) -> {
			Throwable cause = NestedExceptionUtils.getMostSpecificCause(ex);
			logger.warn("Gave up probing the record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
					cause.toString());
			if (!(cause instanceof InvalidVideoMessage) && record.value() instanceof VideoMessage upload) {
				progress.markProbeFailed(upload.id(), "The original's bytes could not be read: "
						+ work.withoutPaths(String.valueOf(cause.getMessage())));
			}
		}, new FixedBackOff(PROBE_RETRY_INTERVAL.toMillis(), PROBE_RETRIES));
		errors.addNotRetryableExceptions(InvalidVideoMessage.class);
		factory.setCommonErrorHandler(errors);
		return factory;
	}

	/**
	 * A factory of consumers without transactions that take one record per poll and may
	 * hold it for {@code video.stream.transcode-timeout}. Its consumers are Spring
	 * Boot's, with those settings changed (a factory's own consumer properties would not
	 * reach its containers).
	 */
	private static ConcurrentKafkaListenerContainerFactory<Object, Object> oneRecordAtATime(
			ConcurrentKafkaListenerContainerFactoryConfigurer configurer, ConsumerFactory<Object, Object> consumers,
			ObjectProvider<DefaultKafkaConsumerFactoryCustomizer> customizers, StreamSettings settings) {
		Map<String, Object> properties = new HashMap<>(consumers.getConfigurationProperties());
		properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
		properties.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) settings.maxPollInterval().toMillis());
		properties.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
		DefaultKafkaConsumerFactory<Object, Object> oneByOne = new DefaultKafkaConsumerFactory<>(properties);
		customizers.orderedStream().forEach((customizer) -> customizer.customize(oneByOne));
		ConcurrentKafkaListenerContainerFactory<Object, Object> factory = new ConcurrentKafkaListenerContainerFactory<>();
		configurer.configure(factory, oneByOne);
		factory.getContainerProperties().setKafkaAwareTransactionManager(null);
		return factory;
	}

}
