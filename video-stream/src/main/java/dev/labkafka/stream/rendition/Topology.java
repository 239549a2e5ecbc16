package dev.labkafka.stream.rendition;

import dev.labkafka.messages.Topics;
import org.apache.kafka.clients.admin.NewTopic;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

/**
 * Creates the topics the worker reads, before its consumers subscribe, when they do not
 * exist yet (the API creates the uploads topic too: whichever starts first).
 */
@Configuration(proxyBeanMethods = false)
class Topology {

	@Bean
	NewTopic videosTopic(StreamSettings settings) {
		return TopicBuilder.name(Topics.VIDEOS).partitions(settings.videosTopicPartitions()).build();
	}

	@Bean
	NewTopic renditionsTopic(StreamSettings settings) {
		return TopicBuilder.name(Topics.RENDITIONS).partitions(settings.renditionsTopicPartitions()).build();
	}

}
