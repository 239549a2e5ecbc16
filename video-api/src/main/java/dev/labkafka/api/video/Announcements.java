package dev.labkafka.api.video;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.labkafka.api.video.VideoProblems.AnnouncementFailed;
import dev.labkafka.messages.Topics;
import dev.labkafka.messages.VideoMessage;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Tells the worker about new uploads: one {@code scale = 0} message on the uploads topic,
 * keyed by the video's id.
 */
@Component
class Announcements {

	private final KafkaTemplate<String, VideoMessage> kafka;

	private final VideoApiSettings settings;

	Announcements(KafkaTemplate<String, VideoMessage> kafka, VideoApiSettings settings) {
		this.kafka = kafka;
		this.settings = settings;
	}

	/**
	 * Sends the announcement and waits until the broker has it.
	 * @throws AnnouncementFailed when the broker did not take it within the configured
	 * timeout
	 */
	void announce(Video video) {
		String id = video.id().toHexString();
		try {
			this.kafka.send(Topics.VIDEOS, id, VideoMessage.uploaded(id, video.url()))
				.get(this.settings.announceTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AnnouncementFailed(ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new AnnouncementFailed(ex);
		}
	}

}
