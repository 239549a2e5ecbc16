package dev.labkafka.api.catalog;

import java.time.Duration;
import java.time.Instant;

import dev.labkafka.api.VideoApiSettings;
import dev.labkafka.videos.Video;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Does, before the API reports ready, what the first upload would otherwise pay for in
 * the catalog: the MongoDB connections and GridFS's index check, and the JSON mapping of
 * a video (the outbox warms the Kafka producer up likewise). Spring Boot reports
 * readiness once runners like this one are done. Nothing here is required: when Kafka or
 * MongoDB cannot be reached yet, the API starts all the same (uploads wait in the outbox
 * while Kafka is down; MongoDB's health keeps the API from being ready).
 */
@Component
class WarmUp implements ApplicationRunner {

	private static final Logger logger = LoggerFactory.getLogger(WarmUp.class);

	private final Videos videos;

	private final VideoFiles files;

	private final JsonMapper json;

	private final VideoApiSettings settings;

	WarmUp(Videos videos, VideoFiles files, JsonMapper json, VideoApiSettings settings) {
		this.videos = videos;
		this.files = files;
		this.json = json;
		this.settings = settings;
	}

	@Override
	public void run(ApplicationArguments args) {
		long started = System.nanoTime();
		warm("the database", () -> this.videos.exists(new ObjectId()));
		warm("GridFS", this.files::warmUp);
		warm("JSON", () -> this.json.writeValueAsString(VideoResponse.of(Video.uploaded(new ObjectId(), 0,
				"http://localhost/", Instant.EPOCH, "warm-up", "video/mp4", Instant.EPOCH), this.settings)));
		logger.info("Warmed up in {} ms", Duration.ofNanos(System.nanoTime() - started).toMillis());
	}

	private static void warm(String what, Runnable step) {
		try {
			step.run();
		}
		catch (RuntimeException ex) {
			logger.info("Could not warm up {} yet: {}", what, ex.toString());
		}
	}

}
