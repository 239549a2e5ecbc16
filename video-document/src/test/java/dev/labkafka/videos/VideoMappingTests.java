package dev.labkafka.videos;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.labkafka.localstack.MongoWire;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.SimpleMongoClientDatabaseFactory;
import org.springframework.data.mongodb.core.convert.MappingMongoConverter;
import org.springframework.data.mongodb.core.convert.MongoCustomConversions;
import org.springframework.data.mongodb.core.mapping.MongoMappingContext;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.data.mongodb.core.query.Criteria.where;

/**
 * The typed video document, mapped as both services map it ({@link VideoDocuments}),
 * against a MongoDB-wire server: the status is the lower-case word in documents, queries
 * and updates, and no Java type name is stored.
 */
class VideoMappingTests {

	private static MongoWire server;

	private static MongoClient client;

	private static MongoTemplate mongo;

	@BeforeAll
	static void start() {
		server = MongoWire.inMemory("127.0.0.1", 0);
		client = MongoClients.create(server.uri());
		SimpleMongoClientDatabaseFactory databases = new SimpleMongoClientDatabaseFactory(client, MongoWire.DATABASE);
		VideoDocuments mapping = new VideoDocuments();
		MongoCustomConversions conversions = mapping.mongoCustomConversions();
		MongoMappingContext context = new MongoMappingContext();
		context.setSimpleTypeHolder(conversions.getSimpleTypeHolder());
		context.afterPropertiesSet();
		MappingMongoConverter converter = mapping.mappingMongoConverter(databases, context, conversions);
		converter.afterPropertiesSet();
		mongo = new MongoTemplate(databases, converter);
	}

	@AfterAll
	static void stop() {
		client.close();
		server.closeNow();
	}

	@Test
	void storesTheStatusAsTheLabsWordAndNoClassName() {
		ObjectId id = new ObjectId();
		Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		mongo.insert(Video.uploaded(id, 42, "http://localhost/v1/videos/" + id + "/content", now, "clip.mp4",
				"video/mp4", now));

		Document stored = raw(id);
		assertThat(stored.getString(VideoFields.STATUS)).isEqualTo("uploaded");
		assertThat(stored).doesNotContainKey("_class").containsKeys(VideoFields.CREATED_AT, VideoFields.ANNOUNCE_AT);
		Video read = mongo.findById(id, Video.class);
		assertThat(read).isNotNull();
		assertThat(read.status()).isEqualTo(VideoStatus.UPLOADED);
		assertThat(read.createdAt()).isEqualTo(now);
	}

	@Test
	void queriesAndUpdatesTheStatusByItsWord() {
		ObjectId id = new ObjectId();
		mongo.insert(Video.uploaded(id, 1, "http://localhost/", Instant.now(), "clip.mp4", "video/mp4", Instant.now()));

		Video claimed = mongo.findAndModify(
				Query.query(where(VideoFields.ID).is(id).and(VideoFields.STATUS).is(VideoStatus.UPLOADED)),
				new Update().set(VideoFields.STATUS, VideoStatus.ENCODING),
				FindAndModifyOptions.options().returnNew(true), Video.class);

		assertThat(claimed).isNotNull();
		assertThat(claimed.status()).isEqualTo(VideoStatus.ENCODING);
		assertThat(raw(id).getString(VideoFields.STATUS)).isEqualTo("encoding");
		assertThat(mongo.exists(
				Query.query(where(VideoFields.ID).is(id).and(VideoFields.STATUS).in(VideoStatus.IN_PROGRESS)),
				Video.class))
			.isTrue();
	}

	@Test
	void keepsRenditionsUnderTheDocumentsFieldNames() {
		ObjectId id = new ObjectId();
		mongo.insert(Video.uploaded(id, 1, "http://localhost/", Instant.now(), "clip.mp4", "video/mp4", Instant.now()));

		mongo.updateFirst(Query.query(where(VideoFields.ID).is(id)),
				new Update().set(VideoFields.rendition(720), Rendition.encoded(1280, 720, 6.0))
					.set(VideoFields.rendition(1080), Rendition.sameAs(720)),
				Video.class);

		Document renditions = raw(id).get(VideoFields.RENDITIONS, Document.class);
		assertThat(renditions.get("720", Document.class)).containsEntry(VideoFields.ENCODED, true)
			.containsEntry(VideoFields.HEIGHT, 720)
			.doesNotContainKey("_class");
		assertThat(renditions.get("1080", Document.class)).containsEntry(VideoFields.SAME_AS, 720)
			.containsEntry(VideoFields.ENCODED, false);
		Video read = mongo.findById(id, Video.class);
		assertThat(read.renditions()).containsEntry("720", Rendition.encoded(1280, 720, 6.0))
			.containsEntry("1080", Rendition.sameAs(720));
		assertThat(read.doneVariants()).isEqualTo(Map.of());
	}

	private static Document raw(ObjectId id) {
		return client.getDatabase(MongoWire.DATABASE)
			.getCollection(VideoFields.COLLECTION)
			.find(new Document(VideoFields.ID, id))
			.first();
	}

}
