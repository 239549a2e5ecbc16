package dev.labkafka.api.redrive;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import dev.labkafka.api.VideoApiSettings;
import dev.labkafka.api.catalog.VideoChanged;
import dev.labkafka.api.outbox.Outbox;
import dev.labkafka.api.redrive.StuckVideos.KafkaUnavailable;
import dev.labkafka.api.tracing.VideoContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * The re-drive: every {@code video.api.stuck.check-interval}, on Spring's task scheduler,
 * the videos that are stuck ({@link StuckVideos}) go through the pipeline again, and only
 * their missing renditions are made. It looks at every video that has not changed for
 * {@code video.api.stuck.after}, page by page, so that a long backlog of videos that are
 * only waiting does not hide a stuck one. Each is claimed with an atomic update, so
 * several API instances do this side by side. Counted as {@code videos_redriven_total}.
 */
@Component
class Redrive implements SchedulingConfigurer {

	private static final Logger logger = LoggerFactory.getLogger(Redrive.class);

	/**
	 * How many videos that may be stuck are looked at together (one question to Kafka).
	 */
	private static final int PAGE = 500;

	/** The most pages one pass looks at. */
	private static final int PAGES = 20;

	private final QuietVideos quiet;

	private final StuckVideos stuckVideos;

	private final Outbox outbox;

	private final VideoContext context;

	private final ApplicationEventPublisher events;

	private final VideoApiSettings.Stuck settings;

	private final Counter redriven;

	private final Clock clock = Clock.systemUTC();

	Redrive(QuietVideos quiet, StuckVideos stuckVideos, Outbox outbox, VideoContext context,
			ApplicationEventPublisher events, VideoApiSettings settings, MeterRegistry registry) {
		this.quiet = quiet;
		this.stuckVideos = stuckVideos;
		this.outbox = outbox;
		this.context = context;
		this.events = events;
		this.settings = settings.stuck();
		this.redriven = Counter.builder("videos.redriven")
			.description("Stuck videos sent through the pipeline again")
			.register(registry);
	}

	@Override
	public void configureTasks(ScheduledTaskRegistrar tasks) {
		tasks.addFixedDelayTask(this::redriveStuck, this.settings.checkInterval());
	}

	/** Sends the videos that are stuck through the pipeline again. */
	void redriveStuck() {
		try {
			Instant cutoff = this.clock.instant().minus(this.settings.after());
			InProgress after = null;
			for (int page = 0; page < PAGES; page++) {
				List<InProgress> videos = this.quiet.unchangedSince(cutoff, after, PAGE);
				if (videos.isEmpty()) {
					return;
				}
				for (InProgress stuck : this.stuckVideos.among(videos)) {
					redrive(stuck);
				}
				after = videos.get(videos.size() - 1);
			}
		}
		catch (KafkaUnavailable | DataAccessException ex) {
			logger.warn("Could not look for stuck videos, trying again in {}: {}", this.settings.checkInterval(),
					ex.toString());
		}
	}

	/**
	 * Sends a video found stuck through the pipeline again, unless it has moved
	 * meanwhile.
	 */
	private void redrive(InProgress stuck) {
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
		InProgress video;
		try {
			video = this.quiet.redrive(stuck, this.outbox.sendAgain(now));
		}
		catch (DataAccessException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			logger.warn("Could not send video {} through the pipeline again: {}", stuck.id(), ex.toString());
			return;
		}
		if (video == null) {
			return;
		}
		String url = video.url();
		if (url == null) {
			logger.warn("Video {} has no url to announce; it waits in the outbox", video.id());
			return;
		}
		this.context.about(video.id().toHexString(), "redrive", () -> {
			logger.warn("Video {} was {} with nothing of it left in Kafka and no progress since {}; "
					+ "sending it through the pipeline again", video.id(), stuck.status(), stuck.updatedAt());
			this.redriven.increment();
			this.outbox.announce(video.id(), url);
			this.events.publishEvent(VideoChanged.status(video.id().toHexString()));
		});
	}

}
