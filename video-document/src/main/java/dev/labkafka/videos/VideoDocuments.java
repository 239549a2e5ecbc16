package dev.labkafka.videos;

import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.data.convert.ReadingConverter;
import org.springframework.data.convert.WritingConverter;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.data.mongodb.core.convert.DefaultDbRefResolver;
import org.springframework.data.mongodb.core.convert.DefaultMongoTypeMapper;
import org.springframework.data.mongodb.core.convert.MappingMongoConverter;
import org.springframework.data.mongodb.core.convert.MongoCustomConversions;
import org.springframework.data.mongodb.core.mapping.MongoMappingContext;

/**
 * How both services map {@link Video} documents, imported by each: Spring Boot's MongoDB
 * mapping with two changes.
 * <ul>
 * <li>The status is stored as its lower-case {@link VideoStatus#word() word}, the
 * original lab's, in documents, queries and updates alike.</li>
 * <li>No {@code _class} field: the document is shared with the other service, with
 * mongosh users and with tools in other languages, and there is one type in the
 * collection.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
public class VideoDocuments {

	/** The converters of the video document's values. */
	public static List<Converter<?, ?>> converters() {
		return List.of(StatusToWord.INSTANCE, WordToStatus.INSTANCE);
	}

	@Bean
	MongoCustomConversions mongoCustomConversions() {
		return new MongoCustomConversions(converters());
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

	@WritingConverter
	enum StatusToWord implements Converter<VideoStatus, String> {

		INSTANCE;

		@Override
		public String convert(VideoStatus status) {
			return status.word();
		}

	}

	@ReadingConverter
	enum WordToStatus implements Converter<String, VideoStatus> {

		INSTANCE;

		@Override
		public VideoStatus convert(String word) {
			return VideoStatus.of(word)
				.orElseThrow(() -> new IllegalArgumentException("'" + word + "' is not a video status"));
		}

	}

}
