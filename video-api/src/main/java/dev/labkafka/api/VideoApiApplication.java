package dev.labkafka.api;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The video API: takes uploads, keeps them in MongoDB and announces them on Kafka.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class VideoApiApplication {

	/**
	 * The name of this service's configuration file ({@code video-api.yml}). Each service
	 * has its own name so that both can run in one JVM (as the end-to-end tests do)
	 * without reading each other's {@code application.yml}.
	 */
	public static final String CONFIG_NAME = "spring.config.name=video-api";

	public static void main(String[] args) {
		application().run(args);
	}

	/** The application as {@link #main} runs it. */
	public static SpringApplication application() {
		SpringApplication application = new SpringApplication(VideoApiApplication.class);
		application.setDefaultProperties(Map.of("spring.config.name", "video-api"));
		return application;
	}

}
