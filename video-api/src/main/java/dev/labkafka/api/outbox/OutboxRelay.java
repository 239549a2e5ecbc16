package dev.labkafka.api.outbox;

import java.time.Clock;
import java.time.Instant;

import dev.labkafka.api.VideoApiSettings;
import dev.labkafka.api.tracing.VideoContext;
import dev.labkafka.videos.Video;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * The outbox relay: every {@code video.api.outbox.interval}, on Spring's task scheduler
 * (which lets a running pass finish at shutdown), sends the announcements that are due:
 * uploads whose first send failed because Kafka was down, leases that ran out, retries
 * and re-drives. Each is claimed with an atomic update, so several API instances relay
 * side by side. A pass stops at the first send that fails at once (Kafka is away).
 */
@Component
class OutboxRelay implements SchedulingConfigurer {

	private static final Logger logger = LoggerFactory.getLogger(OutboxRelay.class);

	private final PendingAnnouncements pending;

	private final Announcements announcements;

	private final VideoContext context;

	private final VideoApiSettings.Outbox settings;

	private final Clock clock = Clock.systemUTC();

	OutboxRelay(PendingAnnouncements pending, Announcements announcements, VideoContext context,
			VideoApiSettings settings) {
		this.pending = pending;
		this.announcements = announcements;
		this.context = context;
		this.settings = settings.outbox();
	}

	@Override
	public void configureTasks(ScheduledTaskRegistrar tasks) {
		tasks.addFixedDelayTask(this::relay, this.settings.interval());
	}

	/** Sends the announcements that are due. */
	void relay() {
		try {
			sendDue();
		}
		catch (DataAccessException ex) {
			logger.warn("Outbox relay pass failed, trying again in {}: {}", this.settings.interval(), ex.toString());
		}
	}

	private void sendDue() {
		for (int i = 0; i < this.settings.batchSize(); i++) {
			Instant now = this.clock.instant();
			Video video = this.pending.claimDue(now, now.plus(this.settings.lease()));
			if (video == null) {
				return;
			}
			String url = video.url();
			if (url == null) {
				logger.warn("Video {} has no url to announce; it stays in the outbox", video.id());
				continue;
			}
			boolean sent = this.context.about(video.id().toHexString(), "relay", () -> {
				boolean accepted = this.announcements.announce(video.id(), url);
				if (accepted) {
					logger.info("Relayed the announcement of video {}", video.id());
				}
				return accepted;
			});
			if (!sent) {
				return;
			}
		}
	}

}
