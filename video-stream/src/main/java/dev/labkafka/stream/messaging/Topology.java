package dev.labkafka.stream.messaging;

import dev.labkafka.messages.Topics;
import org.apache.kafka.clients.admin.NewTopic;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

/**
 * The pipeline's topics, created by the worker (and nowhere else) when they do not exist
 * yet, with the partitions {@link Topics} defines. The renditions' retry and dead-letter
 * topics are created with them by Spring Kafka, from {@link ErrorHandling}.
 * <p>
 * The API creates no topic: an upload made before any worker has run waits in the outbox
 * until the worker has created the uploads topic.
 */
@Configuration(proxyBeanMethods = false)
class Topology {

	@Bean
	NewTopic videosTopic() {
		return TopicBuilder.name(Topics.VIDEOS).partitions(Topics.VIDEOS_PARTITIONS).build();
	}

	@Bean
	NewTopic renditionsTopic() {
		return TopicBuilder.name(Topics.RENDITIONS).partitions(Topics.RENDITIONS_PARTITIONS).build();
	}

	@Bean
	NewTopic progressTopic() {
		return TopicBuilder.name(Topics.PROGRESS).partitions(Topics.PROGRESS_PARTITIONS).build();
	}

	@Bean
	NewTopic videosDeadLetters() {
		return TopicBuilder.name(Topics.deadLetters(Topics.VIDEOS)).partitions(1).build();
	}

}
