package dev.labkafka.stream.rendition;

import java.util.Map;

import dev.labkafka.messages.Topics;
import dev.labkafka.messages.VideoMessage;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultAfterRollbackProcessor;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;

/**
 * What happens when a record cannot be handled. The listeners run in Kafka transactions,
 * so Spring Kafka hands a failed record to the after-rollback processor defined here
 * (Boot puts it on the listener container factory):
 * <ul>
 * <li>a passing failure (MongoDB unreachable, a broker hiccup) is retried with
 * exponential backoff, the record staying first in its partition so nothing is lost or
 * reordered;</li>
 * <li>a record that no retry can fix (malformed JSON, an id that is not an ObjectId, a
 * scale that does not belong on its topic) goes to the topic's dead-letter topic at
 * once;</li>
 * <li>when retries run out, the record goes to the dead-letter topic too and its video is
 * marked {@code failed} with the error.</li>
 * </ul>
 * Dead letters carry the reason in Spring Kafka's {@code kafka_dlt-exception-*} headers;
 * their offsets are committed with the dead-letter record, in one transaction.
 */
@Configuration(proxyBeanMethods = false)
class ErrorHandling {

	private static final Logger logger = LoggerFactory.getLogger(ErrorHandling.class);

	@Bean
	DefaultAfterRollbackProcessor<Object, Object> afterRollbackProcessor(KafkaTemplate<Object, Object> kafka,
			VideoProgress progress, StreamSettings settings, StreamMetrics metrics) {
		DeadLetterPublishingRecoverer deadLetters = new DeadLetterPublishingRecoverer(kafka,
				(record, ex) -> new TopicPartition(Topics.deadLetters(record.topic()), -1));
		StreamSettings.Retry retry = settings.retry();
		ExponentialBackOffWithMaxRetries backOff = new ExponentialBackOffWithMaxRetries(retry.maxRetries());
		backOff.setInitialInterval(retry.initialInterval().toMillis());
		backOff.setMultiplier(retry.multiplier());
		backOff.setMaxInterval(retry.maxInterval().toMillis());
		DefaultAfterRollbackProcessor<Object, Object> processor = new DefaultAfterRollbackProcessor<>((record, ex) -> {
			deadLetters.accept(record, ex);
			metrics.deadLetter(record.topic());
			markVideoFailed(record, ex, progress);
		}, backOff, kafka, true);
		processor.addNotRetryableExceptions(InvalidVideoMessage.class);
		return processor;
	}

	/**
	 * A video whose message ran out of retries is marked failed, so that its user sees it
	 * (and can ask for a retry) instead of waiting forever. Invalid messages say nothing
	 * about a real video and are only dead-lettered.
	 */
	private static void markVideoFailed(ConsumerRecord<?, ?> record, Exception ex, VideoProgress progress) {
		Throwable cause = NestedExceptionUtils.getMostSpecificCause(ex);
		logger.warn("Dead-lettered {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
				cause.toString());
		if (!(record.value() instanceof VideoMessage message) || !ObjectId.isValid(message.id())
				|| cause instanceof InvalidVideoMessage) {
			return;
		}
		String error = "Gave up on " + (message.original() ? "the fan-out" : "rendition " + message.scale()) + ": "
				+ cause;
		try {
			progress.markFailed(message.id(), (error.length() > 1000) ? error.substring(0, 1000) : error);
		}
		catch (RuntimeException failed) {
			logger.error("Could not mark video {} failed: {}", message.id(), failed.toString());
		}
	}

	/**
	 * Values are JSON, except dead letters of records that were not JSON at all: those
	 * keep their original bytes.
	 */
	@Bean
	DefaultKafkaProducerFactoryCustomizer valueSerialization() {
		Map<Class<?>, Serializer<?>> serializers = Map.of(byte[].class, new ByteArraySerializer(), VideoMessage.class,
				new JacksonJsonSerializer<VideoMessage>().noTypeInfo());
		return (factory) -> ((DefaultKafkaProducerFactory<?, Object>) factory)
			.setValueSerializer(new DelegatingByTypeSerializer(serializers));
	}

	@Bean
	NewTopic videosDeadLetters() {
		return TopicBuilder.name(Topics.deadLetters(Topics.VIDEOS)).partitions(1).build();
	}

	@Bean
	NewTopic renditionsDeadLetters() {
		return TopicBuilder.name(Topics.deadLetters(Topics.RENDITIONS)).partitions(1).build();
	}

}
