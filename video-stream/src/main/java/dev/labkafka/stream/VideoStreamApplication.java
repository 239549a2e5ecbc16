package dev.labkafka.stream;

import java.util.Map;

import dev.labkafka.videos.VideoDocuments;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/**
 * The stream worker: fans each upload out into renditions and makes them.
 * <p>
 * Its only HTTP is its actuator, on a private port; it has no Spring Security. When it
 * runs in one JVM with the API (the end-to-end and browser tests), the API's Spring
 * Security is on the classpath: its auto-configuration is left out here, so that it does
 * not lock the worker's actuator.
 * <p>
 * Its MongoDB mapping is the video document's, as both services map it
 * ({@link VideoDocuments}): the status stored as its word, and no {@code _class}.
 */
@SpringBootApplication(excludeName = { "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
		"org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration" })
@ConfigurationPropertiesScan
@Import(VideoDocuments.class)
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
