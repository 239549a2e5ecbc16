package dev.labkafka.api.events;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;

import dev.labkafka.messages.ProgressMessage;
import dev.labkafka.messages.Topics;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.ContainerCustomizer;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties.AssignmentCommitOption;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Reads {@link Topics#PROGRESS} for {@link VideoEvents}, through Spring Boot's listener
 * container factory (the consumer is configured under {@code spring.kafka.consumer} and
 * {@code spring.kafka.listener} in {@code video-api.yml}): in a consumer group of its own
 * per instance (so that every instance sees every change), from the end (events are live;
 * what happened before a client connected is in MongoDB), committing nothing (so a
 * stopped instance leaves no offsets behind). A message that cannot be read is logged and
 * skipped. It starts itself once the application runs, and tries again while Kafka cannot
 * be reached.
 */
@Component
class ProgressListener implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(ProgressListener.class);

	/** The listener's id in Spring Kafka's registry. */
	static final String ID = "video-events";

	/** How often the listener is started again when it could not be. */
	static final Duration RETRY = Duration.ofSeconds(10);

	private final VideoEvents events;

	private final TaskScheduler scheduler;

	private final ObjectProvider<KafkaListenerEndpointRegistry> listeners;

	private volatile @Nullable ScheduledFuture<?> starting;

	private volatile boolean failed;

	ProgressListener(VideoEvents events, TaskScheduler scheduler,
			ObjectProvider<KafkaListenerEndpointRegistry> listeners) {
		this.events = events;
		this.scheduler = scheduler;
		this.listeners = listeners;
	}

	@Override
	public void start() {
		this.starting = this.scheduler.scheduleWithFixedDelay(this::listen, RETRY);
	}

	@Override
	public void stop() {
		ScheduledFuture<?> starting = this.starting;
		if (starting != null) {
			starting.cancel(false);
		}
		this.starting = null;
	}

	@Override
	public boolean isRunning() {
		return this.starting != null;
	}

	/**
	 * Starts reading the progress topic, and tries again later when it cannot: the API
	 * starts and serves whether or not Kafka can be reached (its consumer cannot even be
	 * made while Kafka's host name does not resolve).
	 */
	private void listen() {
		MessageListenerContainer container = this.listeners.getObject().getListenerContainer(ID);
		if (container == null || container.isRunning()) {
			return;
		}
		try {
			container.start();
			if (this.failed) {
				logger.info("Reading the progress topic: live events are back");
				this.failed = false;
			}
		}
		catch (RuntimeException ex) {
			if (!this.failed) {
				logger.warn("Cannot read the progress topic yet, so no live events (trying again every {} s): {}",
						RETRY.toSeconds(), NestedExceptionUtils.getMostSpecificCause(ex).toString());
			}
			this.failed = true;
		}
	}

	@KafkaListener(id = ID, idIsGroup = false, topics = Topics.PROGRESS,
			groupId = Topics.PROGRESS_GROUP_PREFIX + "#{T(java.util.UUID).randomUUID()}", autoStartup = "false",
			properties = "auto.offset.reset=latest")
	void onProgress(ProgressMessage change) {
		this.events.changed(change);
	}

	/**
	 * A record that cannot be read is skipped at once, and nothing is committed for it.
	 */
	@Bean
	static CommonErrorHandler progressErrors() {
		DefaultErrorHandler errors = new DefaultErrorHandler(
				(record, ex) -> logger.warn("Skipped the progress record {}-{}@{}: {}", record.topic(),
						record.partition(), record.offset(), NestedExceptionUtils.getMostSpecificCause(ex).toString()),
				new FixedBackOff(0, 0));
		errors.setAckAfterHandle(false);
		errors.setCommitRecovered(false);
		return errors;
	}

	/** No commit when partitions are assigned either. */
	@Bean
	static ContainerCustomizer<Object, Object, ConcurrentMessageListenerContainer<Object, Object>> noCommitOnAssignment() {
		return (container) -> container.getContainerProperties()
			.setAssignmentCommitOption(AssignmentCommitOption.NEVER);
	}

}
