package dev.labkafka.api.video;

import dev.labkafka.messages.Topics;
import org.apache.kafka.clients.admin.NewTopic;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

/**
 * Creates the uploads topic when it does not exist, so that uploads queue up even before
 * a worker has started.
 */
@Configuration(proxyBeanMethods = false)
class Topology {

	@Bean
	NewTopic videosTopic(VideoApiSettings settings) {
		return TopicBuilder.name(Topics.VIDEOS).partitions(settings.videosTopicPartitions()).build();
	}

}
