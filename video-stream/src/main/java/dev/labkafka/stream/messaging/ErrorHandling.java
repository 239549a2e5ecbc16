package dev.labkafka.stream.messaging;

import java.util.List;
import java.util.Map;

import dev.labkafka.messages.ProgressMessage;
import dev.labkafka.messages.Topics;
import dev.labkafka.messages.VideoMessage;
import dev.labkafka.stream.StreamSettings;
import dev.labkafka.stream.media.MediaFailure;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer.HeaderNames;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultAfterRollbackProcessor;
import org.springframework.kafka.retrytopic.DltStrategy;
import org.springframework.kafka.retrytopic.RetryTopicConfiguration;
import org.springframework.kafka.retrytopic.RetryTopicConfigurationBuilder;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;

/**
 * What happens when a record cannot be handled. Both kinds of consumers classify failures
 * the same way, with the backoff of {@code video.stream.retry}:
 * <ul>
 * <li>a passing failure (MongoDB unreachable, a broker hiccup) is retried with
 * exponential backoff;</li>
 * <li>a record that no retry can fix (malformed JSON, an id that is not an ObjectId, a
 * scale that does not belong on its topic, a rendition ffmpeg failed to make) goes to the
 * topic's dead-letter topic at once;</li>
 * <li>when retries run out, the record goes to the dead-letter topic too and its video is
 * marked {@code failed} with the error ({@link DeadLetters}).</li>
 * </ul>
 * The fan-out is transactional, so Spring Kafka hands its failed records to the
 * after-rollback processor defined here (Boot puts it on the factory): the record stays
 * first in its partition while it is retried, and its dead letter commits with its
 * offset. A rendition is retried through retry topics instead
 * ({@code video-renditions-retry-N}, then {@code video-renditions-dlt}): its consumer
 * commits it and goes on with the renditions behind it, and the retry runs after its
 * delay on a consumer of its own.
 * <p>
 * Dead letters carry the reason in Spring Kafka's {@code kafka_exception-*} headers, and
 * where the record was in its {@code kafka_original-*} headers.
 */
@Configuration(proxyBeanMethods = false)
class ErrorHandling {

	/** The fan-out's: retries in place, then the dead-letter topic. */
	@Bean
	DefaultAfterRollbackProcessor<Object, Object> afterRollbackProcessor(KafkaTemplate<Object, Object> kafka,
			DeadLetters deadLetters, StreamSettings settings) {
		DeadLetterPublishingRecoverer publisher = new DeadLetterPublishingRecoverer(kafka,
				(record, ex) -> new TopicPartition(Topics.deadLetters(record.topic()), -1));
		publisher.setHeaderNamesSupplier(ErrorHandling::deadLetterHeaders);
		DefaultAfterRollbackProcessor<Object, Object> processor = new DefaultAfterRollbackProcessor<>((record, ex) -> {
			publisher.accept(record, ex);
			deadLetters.gaveUp(record, ex);
		}, backOff(settings.retry()), kafka, true);
		processor.addNotRetryableExceptions(InvalidVideoMessage.class);
		return processor;
	}

	/**
	 * The renditions': retry topics with the same backoff, then
	 * {@code video-renditions-dlt}, whose records {@link DeadLetters#onRendition} reads.
	 * Spring Kafka creates these topics with the renditions topic's partitions; their
	 * consumers run one thread each (retries are rare). {@link RenditionRequeues} follows
	 * each message there.
	 */
	@Bean
	RetryTopicConfiguration renditionRetries(ProducerFactory<Object, Object> producers, StreamSettings settings,
			ConcurrentKafkaListenerContainerFactory<Object, Object> renditionListenerContainerFactory,
			RenditionRequeues requeues) {
		// Renditions run outside transactions: so do the sends to their retry topics.
		KafkaTemplate<Object, Object> nonTransactional = new KafkaTemplate<>(producers);
		nonTransactional.setAllowNonTransactional(true);
		nonTransactional.setProducerListener(requeues);
		return RetryTopicConfigurationBuilder.newInstance()
			.includeTopic(Topics.RENDITIONS)
			.listenerFactory(renditionListenerContainerFactory)
			.concurrency(1)
			.customBackoff(backOff(settings.retry()))
			.maxAttempts(settings.retry().maxRetries() + 1)
			// One topic for the retries at the longest wait: retry-0 to retry-5 by
			// default.
			.useSingleTopicForSameIntervals()
			.notRetryOn(List.<Class<? extends Throwable>>of(InvalidVideoMessage.class, MediaFailure.class))
			.retryTopicSuffix("-retry")
			.suffixTopicsWithIndexValues()
			.dltSuffix(Topics.DEAD_LETTER_SUFFIX)
			.dltHandlerMethod("deadLetters", "onRendition")
			// A dead letter that cannot be recorded is logged and left: the video, still
			// encoding with nothing queued, is sent through the pipeline again by the
			// API.
			.dltProcessingFailureStrategy(DltStrategy.FAIL_ON_ERROR)
			.autoCreateTopicsWith(Topics.RENDITIONS_PARTITIONS, null)
			.create(nonTransactional);
	}

	/**
	 * The headers of a dead letter: the names Spring Kafka's retry topics use, so that
	 * both dead-letter topics carry the reason the same way.
	 */
	private static HeaderNames deadLetterHeaders() {
		return HeaderNames.Builder.original()
			.offsetHeader(KafkaHeaders.ORIGINAL_OFFSET)
			.timestampHeader(KafkaHeaders.ORIGINAL_TIMESTAMP)
			.timestampTypeHeader(KafkaHeaders.ORIGINAL_TIMESTAMP_TYPE)
			.topicHeader(KafkaHeaders.ORIGINAL_TOPIC)
			.partitionHeader(KafkaHeaders.ORIGINAL_PARTITION)
			.consumerGroupHeader(KafkaHeaders.ORIGINAL_CONSUMER_GROUP)
			.exception()
			.keyExceptionFqcn(KafkaHeaders.KEY_EXCEPTION_FQCN)
			.exceptionFqcn(KafkaHeaders.EXCEPTION_FQCN)
			.exceptionCauseFqcn(KafkaHeaders.EXCEPTION_CAUSE_FQCN)
			.keyExceptionMessage(KafkaHeaders.KEY_EXCEPTION_MESSAGE)
			.exceptionMessage(KafkaHeaders.EXCEPTION_MESSAGE)
			.keyExceptionStacktrace(KafkaHeaders.KEY_EXCEPTION_STACKTRACE)
			.exceptionStacktrace(KafkaHeaders.EXCEPTION_STACKTRACE)
			.build();
	}

	/** The waits between the attempts at a record, from {@code video.stream.retry}. */
	private static ExponentialBackOffWithMaxRetries backOff(StreamSettings.Retry retry) {
		ExponentialBackOffWithMaxRetries backOff = new ExponentialBackOffWithMaxRetries(retry.maxRetries());
		backOff.setInitialInterval(retry.initialInterval().toMillis());
		backOff.setMultiplier(retry.multiplier());
		backOff.setMaxInterval(retry.maxInterval().toMillis());
		return backOff;
	}

	/**
	 * Values are JSON, except dead letters of records that were not JSON at all: those
	 * keep their original bytes.
	 */
	@Bean
	DefaultKafkaProducerFactoryCustomizer valueSerialization() {
		Map<Class<?>, Serializer<?>> serializers = Map.of(byte[].class, new ByteArraySerializer(), VideoMessage.class,
				new JacksonJsonSerializer<VideoMessage>().noTypeInfo(), ProgressMessage.class,
				new JacksonJsonSerializer<ProgressMessage>().noTypeInfo());
		return (factory) -> ((DefaultKafkaProducerFactory<?, Object>) factory)
			.setValueSerializer(new DelegatingByTypeSerializer(serializers));
	}

}
