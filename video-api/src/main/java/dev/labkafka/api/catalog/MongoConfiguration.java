package dev.labkafka.api.video;

import java.util.concurrent.TimeUnit;

import org.springframework.boot.mongodb.autoconfigure.MongoClientSettingsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.data.mongodb.core.convert.DefaultDbRefResolver;
import org.springframework.data.mongodb.core.convert.DefaultMongoTypeMapper;
import org.springframework.data.mongodb.core.convert.MappingMongoConverter;
import org.springframework.data.mongodb.core.convert.MongoCustomConversions;
import org.springframework.data.mongodb.core.mapping.MongoMappingContext;

/**
 * What the API changes in Spring Boot's MongoDB setup:
 * <ul>
 * <li>timeouts of seconds instead of the driver's 30 s to find a server
 * ({@code video.api.database.*}), so that a request made while MongoDB is down is
 * answered 503 promptly and a health check finishes inside its probe's timeout. They win
 * over the same options in the connection string;</li>
 * <li>no {@code _class} field in the stored documents: the document is shared with the
 * worker, with mongosh users and with tools in other languages, and there is only one
 * type in the collection.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
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

	/** Spring Boot's converter, without the type key. */
	@Bean
	MappingMongoConverter mappingMongoConverter(MongoDatabaseFactory databases, MongoMappingContext context,
			MongoCustomConversions conversions) {
		MappingMongoConverter converter = new MappingMongoConverter(new DefaultDbRefResolver(databases), context);
		converter.setCustomConversions(conversions);
		converter.setTypeMapper(new DefaultMongoTypeMapper(null));
		return converter;
	}

}
