package dev.labkafka.api.catalog;

import java.util.concurrent.TimeUnit;

import dev.labkafka.api.VideoApiSettings;
import dev.labkafka.videos.VideoDocuments;

import org.springframework.boot.mongodb.autoconfigure.MongoClientSettingsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * What the API changes in Spring Boot's MongoDB setup:
 * <ul>
 * <li>timeouts of seconds instead of the driver's 30 s to find a server
 * ({@code video.api.database.*}), so that a request made while MongoDB is down is
 * answered 503 promptly and a health check finishes inside its probe's timeout. They win
 * over the same options in the connection string;</li>
 * <li>the video document's mapping, shared with the worker ({@link VideoDocuments}):
 * status words, no {@code _class} field.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
@Import(VideoDocuments.class)
class MongoConfiguration {

	@Bean
	MongoClientSettingsBuilderCustomizer databaseTimeouts(VideoApiSettings settings) {
		VideoApiSettings.Database database = settings.database();
		return (builder) -> builder
			.applyToClusterSettings(
					(cluster) -> cluster.serverSelectionTimeout(database.timeout().toMillis(), TimeUnit.MILLISECONDS))
			.applyToSocketSettings(
					(socket) -> socket.connectTimeout(database.timeout().toMillis(), TimeUnit.MILLISECONDS)
						.readTimeout(database.readTimeout().toMillis(), TimeUnit.MILLISECONDS));
	}

}
