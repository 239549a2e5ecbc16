package dev.labkafka.api.video;

import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.core.convert.DefaultMongoTypeMapper;
import org.springframework.data.mongodb.core.convert.MappingMongoConverter;

/**
 * Keeps Java out of the stored documents: Spring Data would add a {@code _class} field
 * with this service's class name to every video, but the document is shared with the
 * worker, with mongosh users and with tools in other languages, and there is only one
 * type in the collection.
 */
@Configuration(proxyBeanMethods = false)
class DocumentMapping {

	DocumentMapping(MappingMongoConverter converter) {
		converter.setTypeMapper(new DefaultMongoTypeMapper(null));
	}

}
