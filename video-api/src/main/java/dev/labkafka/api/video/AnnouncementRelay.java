package dev.labkafka.api.video;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The outbox relay. Every {@code video.api.outbox.interval} it
 * <ol>
 * <li>puts videos stuck in {@code encoding} (no progress for
 * {@code video.api.encoding-timeout}) back in the outbox, and</li>
 * <li>sends the announcements that are due: uploads whose first send failed (Kafka was
 * down), leases that ran out, retries and re-drives.</li>
 * </ol>
 * Each video is claimed with an atomic update that leases it for
 * {@code video.api.outbox.lease}, so several API instances can relay side by side.
 */
@Component
class AnnouncementRelay implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(AnnouncementRelay.class);

	private final Videos videos;

	private final Announcements announcements;

	private final VideoApiSettings settings;

	private final Clock clock = Clock.systemUTC();

	private volatile ScheduledExecutorService executor;

	private final VideoMetrics metrics;

	AnnouncementRelay(Videos videos, Announcements announcements, VideoApiSettings settings, VideoMetrics metrics) {
		this.videos = videos;
		this.metrics = metrics;
		this.announcements = announcements;
		this.settings = settings;
	}

	/** One pass: re-drive stuck videos, then send what is due. */
	void relay() {
		try {
			redriveStuck();
			sendDue();
		}
		catch (RuntimeException ex) {
			logger.warn("Outbox relay pass failed, trying again in {}: {}", this.settings.outbox().interval(),
					ex.toString());
		}
	}

	private void redriveStuck() {
		Instant now = this.clock.instant();
		Instant cutoff = now.minus(this.settings.encodingTimeout());
		Video video;
		while ((video = this.videos.redriveStuck(cutoff, now, now)) != null) {
			this.metrics.redriven();
			try (MDC.MDCCloseable videoId = MDC.putCloseable(VideoIdInLogs.KEY, video.id().toHexString())) {
				logger.warn("Video {} made no progress for {}; sending it through the pipeline again", video.id(),
						this.settings.encodingTimeout());
			}
		}
	}

	private void sendDue() {
		for (int i = 0; i < this.settings.outbox().batchSize(); i++) {
			Instant now = this.clock.instant();
			Video video = this.videos.claimDueAnnouncement(now, now.plus(this.settings.outbox().lease()));
			if (video == null) {
				return;
			}
			try (MDC.MDCCloseable videoId = MDC.putCloseable(VideoIdInLogs.KEY, video.id().toHexString())) {
				if (!this.announcements.announce(video)) {
					return;
				}
				logger.info("Relayed the announcement of video {}", video.id());
			}
		}
	}

	@Override
	public void start() {
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "announcement-relay");
			thread.setDaemon(true);
			return thread;
		});
		long interval = this.settings.outbox().interval().toMillis();
		executor.scheduleWithFixedDelay(this::relay, interval, interval, TimeUnit.MILLISECONDS);
		this.executor = executor;
	}

	@Override
	public void stop() {
		ScheduledExecutorService executor = this.executor;
		if (executor != null) {
			executor.shutdown();
			this.executor = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.executor != null;
	}

}
