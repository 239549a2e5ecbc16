package dev.labkafka.api;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;

/**
 * Carries the trace (and with it the video's id in the logging context) over to the work
 * a request hands to Spring Boot's task executor, such as recording that Kafka has an
 * announcement.
 */
@Configuration(proxyBeanMethods = false)
class ContextPropagation {

	@Bean
	ContextPropagatingTaskDecorator contextPropagatingTaskDecorator() {
		return new ContextPropagatingTaskDecorator();
	}

}
