package dev.labkafka.api.outbox;

import java.time.Instant;

import dev.labkafka.api.VideoApiSettings;
import dev.labkafka.videos.VideoFields;
import dev.labkafka.videos.VideoStatus;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * The outbox: a video's {@code scale = 0} announcement waits in the video's own document
 * ({@code announce_at}, written with the document, so that a stored video is never left
 * unannounced) until Kafka has it. It is sent at once; when that fails (Kafka is down),
 * the relay ({@link OutboxRelay}) sends it again once its lease has run out. So every
 * video is announced at least once, and the worker recognises repeats.
 */
@Component
public class Outbox implements ApplicationRunner {

	private static final Logger logger = LoggerFactory.getLogger(Outbox.class);

	private final Announcements announcements;

	private final VideoApiSettings.Outbox settings;

	private final PendingAnnouncements pending;

	Outbox(Announcements announcements, PendingAnnouncements pending, VideoApiSettings settings) {
		this.announcements = announcements;
		this.pending = pending;
		this.settings = settings.outbox();
	}

	/**
	 * Does, before the API reports ready (Spring Boot does once runners are done), what
	 * the first announcement would otherwise pay for: the Kafka producer's connection
	 * with the uploads topic's metadata, and the outbox's query. When Kafka or MongoDB
	 * cannot be reached yet, the API starts all the same.
	 */
	@Override
	public void run(ApplicationArguments args) {
		try {
			this.announcements.warmUp();
			this.pending.count();
		}
		catch (RuntimeException ex) {
			logger.info("Could not warm up the announcements yet: {}", ex.toString());
		}
	}

	/**
	 * When the announcement of a video stored {@code now} is due for the relay: after the
	 * lease of the send made at once.
	 */
	public Instant leaseFrom(Instant now) {
		return now.plus(this.settings.lease());
	}

	/**
	 * Sends the video's announcement now, without waiting for the broker; a send that
	 * fails leaves it to the relay.
	 * @return false when the send failed at once (the broker is unreachable)
	 */
	public boolean announce(ObjectId video, String url) {
		return this.announcements.announce(video, url);
	}

	/**
	 * The change that sends a video through the pipeline again: back to {@code uploaded},
	 * its error cleared, with a new announcement due. The worker fans a video out
	 * whenever it is {@code uploaded}, and makes only the renditions it is missing.
	 */
	public Update sendAgain(Instant now) {
		return new Update().set(VideoFields.STATUS, VideoStatus.UPLOADED)
			.unset(VideoFields.ERROR)
			.unset(VideoFields.ANNOUNCEMENT)
			.set(VideoFields.ANNOUNCE_AT, leaseFrom(now))
			.set(VideoFields.UPDATED_AT, now);
	}

}
