package dev.labkafka.api.video;

import java.util.Map;
import java.util.UUID;

import dev.labkafka.messages.ProgressMessage;
import dev.labkafka.messages.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties.AckMode;
import org.springframework.kafka.listener.ContainerProperties.AssignmentCommitOption;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.kafka.support.serializer.JacksonJsonDeserializer;
import org.springframework.util.backoff.FixedBackOff;

/**
 * How this instance reads {@link Topics#PROGRESS}: in a consumer group of its own (so
 * that every instance sees every change), from the end (events are live; what happened
 * before a client connected is in MongoDB), committing nothing (so a stopped instance
 * leaves no offsets behind). A message that cannot be read is logged and skipped.
 */
@Configuration(proxyBeanMethods = false)
class ProgressConsumer {

	private static final Logger logger = LoggerFactory.getLogger(ProgressConsumer.class);

	@Bean
	ConcurrentKafkaListenerContainerFactory<String, ProgressMessage> progressListenerContainerFactory(
			KafkaProperties kafka) {
		Map<String, Object> properties = kafka.buildConsumerProperties();
		properties.put(ConsumerConfig.GROUP_ID_CONFIG, Topics.PROGRESS_GROUP_PREFIX + UUID.randomUUID());
		properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
		properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		JacksonJsonDeserializer<ProgressMessage> json = new JacksonJsonDeserializer<>(ProgressMessage.class)
			.ignoreTypeHeaders();
		DefaultKafkaConsumerFactory<String, ProgressMessage> consumers = new DefaultKafkaConsumerFactory<>(properties,
				new StringDeserializer(), new ErrorHandlingDeserializer<>(json));
		ConcurrentKafkaListenerContainerFactory<String, ProgressMessage> factory = new ConcurrentKafkaListenerContainerFactory<>();
		factory.setConsumerFactory(consumers);
		// Never acknowledged, and no commit on assignment or after a skipped record.
		factory.getContainerProperties().setAckMode(AckMode.MANUAL);
		factory.getContainerProperties().setAssignmentCommitOption(AssignmentCommitOption.NEVER);
		factory.getContainerProperties().setObservationEnabled(true);
		DefaultErrorHandler errors = new DefaultErrorHandler(
				(record, ex) -> logger.warn("Skipped the progress record {}-{}@{}: {}", record.topic(),
						record.partition(), record.offset(), NestedExceptionUtils.getMostSpecificCause(ex).toString()),
				new FixedBackOff(0, 0));
		errors.setAckAfterHandle(false);
		errors.setCommitRecovered(false);
		factory.setCommonErrorHandler(errors);
		return factory;
	}

}
