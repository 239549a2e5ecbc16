package dev.labkafka.stream;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The stream worker: fans each upload out into renditions and makes them.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class VideoStreamApplication {

	/**
	 * The name of this service's configuration file ({@code video-stream.yml}), distinct
	 * from the API's so that both can run in one JVM.
	 */
	public static final String CONFIG_NAME = "spring.config.name=video-stream";

	public static void main(String[] args) {
		application().run(args);
	}

	/** The application as {@link #main} runs it. */
	public static SpringApplication application() {
		SpringApplication application = new SpringApplication(VideoStreamApplication.class);
		application.setDefaultProperties(Map.of("spring.config.name", "video-stream"));
		return application;
	}

}
