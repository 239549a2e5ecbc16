package dev.labkafka.stream.deletion;

import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.labkafka.stream.StreamSettings;
import dev.labkafka.stream.progress.VideoProgress;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Looks every {@code video.stream.deletion-check} (300 ms) whether the videos this worker
 * works on now still exist, with one query to MongoDB for all their ids, and stops the
 * jobs of each one that is gone. Every worker looks for its own jobs, so a deletion
 * reaches whichever worker runs the video's programs, without a message of its own. While
 * MongoDB cannot be reached nothing is stopped, and the jobs' own writes find the video
 * gone when they end.
 */
@Component
class DeletionWatch implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(DeletionWatch.class);

	private final VideoJobs jobs;

	private final VideoProgress progress;

	private final long everyMillis;

	private volatile @Nullable ScheduledExecutorService looking;

	private volatile boolean failing;

	DeletionWatch(VideoJobs jobs, VideoProgress progress, StreamSettings settings) {
		this.jobs = jobs;
		this.progress = progress;
		this.everyMillis = settings.deletionCheck().toMillis();
	}

	/**
	 * Looks once: stops the jobs of the videos that were deleted. Never throws: a failure
	 * would end the looking for good.
	 */
	void check() {
		try {
			Set<String> working = this.jobs.videos();
			if (working.isEmpty()) {
				return;
			}
			Set<String> existing = this.progress.existing(working);
			this.failing = false;
			working.stream().filter((id) -> !existing.contains(id)).forEach(this.jobs::gone);
		}
		catch (RuntimeException ex) {
			if (!this.failing) {
				logger.warn("Cannot look for deleted videos now: {}", ex.toString());
				this.failing = true;
			}
		}
	}

	@Override
	public void start() {
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "deletion-watch");
			thread.setDaemon(true);
			return thread;
		});
		executor.scheduleWithFixedDelay(this::check, this.everyMillis, this.everyMillis, TimeUnit.MILLISECONDS);
		this.looking = executor;
	}

	@Override
	public void stop() {
		ScheduledExecutorService executor = this.looking;
		if (executor != null) {
			executor.shutdownNow();
			this.looking = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.looking != null;
	}

}
