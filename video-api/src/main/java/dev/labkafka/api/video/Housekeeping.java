package dev.labkafka.api.video;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import dev.labkafka.api.video.StuckVideos.KafkaUnavailable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * What every API instance does in the background, on Spring's task scheduler (which waits
 * for a running pass at shutdown):
 * <ul>
 * <li>every {@code video.api.outbox.interval}: the outbox relay sends the announcements
 * that are due (uploads whose first send failed because Kafka was down, leases that ran
 * out, retries and re-drives), and the bytes of uploads that failed while the database
 * was down are removed;</li>
 * <li>every {@code video.api.stuck.check-interval}: videos that are stuck (see
 * {@link StuckVideos}) are sent through the pipeline again;</li>
 * <li>every {@code video.api.upload.sweep-interval}: expired resumable uploads and bytes
 * that belong to nothing are removed (see {@link ResumableUploads#sweep}).</li>
 * </ul>
 * Each video is claimed with an atomic update, so several API instances can do this side
 * by side.
 */
@Component
class Housekeeping implements SchedulingConfigurer {

	private static final Logger logger = LoggerFactory.getLogger(Housekeeping.class);

	/**
	 * How many videos that may be stuck are looked at together (one question to Kafka).
	 */
	private static final int STUCK_PAGE = 500;

	/** The most pages one pass looks at. */
	private static final int STUCK_PAGES = 20;

	private final Videos videos;

	private final Announcements announcements;

	private final StuckVideos stuckVideos;

	private final VideoCatalog catalog;

	private final VideoContext context;

	private final ResumableUploads uploads;

	private final VideoApiSettings settings;

	private final Clock clock = Clock.systemUTC();

	Housekeeping(Videos videos, Announcements announcements, StuckVideos stuckVideos, VideoCatalog catalog,
			VideoContext context, ResumableUploads uploads, VideoApiSettings settings) {
		this.uploads = uploads;
		this.videos = videos;
		this.announcements = announcements;
		this.stuckVideos = stuckVideos;
		this.catalog = catalog;
		this.context = context;
		this.settings = settings;
	}

	@Override
	public void configureTasks(ScheduledTaskRegistrar tasks) {
		tasks.addFixedDelayTask(this::relay, this.settings.outbox().interval());
		tasks.addFixedDelayTask(this::redriveStuck, this.settings.stuck().checkInterval());
		tasks.addFixedDelayTask(this::sweepUploads, this.settings.upload().sweepInterval());
	}

	/**
	 * Removes expired resumable uploads and bytes that belong to no video and no upload.
	 */
	void sweepUploads() {
		try {
			this.uploads.sweep();
		}
		catch (DataAccessException ex) {
			logger.warn("Upload sweep failed, trying again in {}: {}", this.settings.upload().sweepInterval(),
					ex.toString());
		}
	}

	/** Sends the announcements that are due, and removes abandoned bytes. */
	void relay() {
		try {
			sendDue();
			this.catalog.removeAbandonedBytes();
		}
		catch (DataAccessException ex) {
			logger.warn("Outbox relay pass failed, trying again in {}: {}", this.settings.outbox().interval(),
					ex.toString());
		}
	}

	private void sendDue() {
		for (int i = 0; i < this.settings.outbox().batchSize(); i++) {
			Instant now = this.clock.instant();
			InProgress video = this.videos.claimDueAnnouncement(now, now.plus(this.settings.outbox().lease()));
			if (video == null) {
				return;
			}
			if (video.url() == null) {
				logger.warn("Video {} has no url to announce; it stays in the outbox", video.id());
				continue;
			}
			boolean sent = this.context.about(video.id().toHexString(), "relay", () -> {
				boolean accepted = this.announcements.announce(video.id(), video.url());
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

	private void redrive(InProgress stuck) {
		try {
			this.catalog.redrive(stuck);
		}
		catch (DataAccessException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			logger.warn("Could not send video {} through the pipeline again: {}", stuck.id(), ex.toString());
		}
	}

	/**
	 * Sends the videos that are stuck through the pipeline again, looking at every video
	 * that has not changed for {@code video.api.stuck.after}, page by page, so that a
	 * long backlog of videos that are only waiting does not hide a stuck one.
	 */
	void redriveStuck() {
		try {
			Instant cutoff = this.clock.instant().minus(this.settings.stuck().after());
			InProgress after = null;
			for (int page = 0; page < STUCK_PAGES; page++) {
				List<InProgress> quiet = this.videos.unchangedSince(cutoff, after, STUCK_PAGE);
				if (quiet.isEmpty()) {
					return;
				}
				for (InProgress stuck : this.stuckVideos.among(quiet)) {
					redrive(stuck);
				}
				after = quiet.get(quiet.size() - 1);
			}
		}
		catch (KafkaUnavailable | DataAccessException ex) {
			logger.warn("Could not look for stuck videos, trying again in {}: {}",
					this.settings.stuck().checkInterval(), ex.toString());
		}
	}

}
