package dev.labkafka.stream.deletion;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import dev.labkafka.stream.media.MediaTools;
import dev.labkafka.stream.media.VideoGone;
import dev.labkafka.stream.progress.VideoProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Which video each worker thread works on now, so that the work on a video deleted
 * meanwhile is stopped ({@link DeletionWatch}). The probe and the rendition consumers
 * open a {@link Job} around each video they work on, on the thread that works on it; a
 * job whose video is deleted has its programs killed (their calls throw
 * {@link VideoGone}), and its owner drops the job and removes what it stored.
 */
@Component
public class VideoJobs {

	private static final Logger logger = LoggerFactory.getLogger(VideoJobs.class);

	private final Set<Job> jobs = ConcurrentHashMap.newKeySet();

	private final MediaTools tools;

	private final VideoProgress progress;

	public VideoJobs(MediaTools tools, VideoProgress progress) {
		this.tools = tools;
		this.progress = progress;
	}

	/**
	 * Opens the calling thread's job for the video, until the job is closed.
	 */
	public Job start(String videoId) {
		Job job = new Job(videoId, Thread.currentThread());
		this.jobs.add(job);
		return job;
	}

	/** The videos worked on now. */
	Set<String> videos() {
		return this.jobs.stream().map((job) -> job.videoId).collect(Collectors.toSet());
	}

	/** The video was deleted: stops every job of it. */
	void gone(String videoId) {
		this.jobs.stream().filter((job) -> job.videoId.equals(videoId)).forEach(Job::stop);
	}

	/**
	 * One thread's work on one video: a rendition, or the probe and poster frame.
	 */
	public final class Job implements AutoCloseable {

		private final String videoId;

		private final Thread worker;

		/** Guarded by this job. */
		private boolean gone;

		/** Guarded by this job: once closed, its thread may work on another video. */
		private boolean closed;

		private Job(String videoId, Thread worker) {
			this.videoId = videoId;
			this.worker = worker;
		}

		/** Whether the video was seen deleted while the job ran. */
		public synchronized boolean gone() {
			return this.gone;
		}

		/**
		 * Whether {@code failure} comes of the video being deleted: its programs were
		 * stopped for it, the deletion was seen, or the video is gone now (its original's
		 * bytes went away as they were read, for instance). Such a job is dropped, not
		 * retried.
		 */
		public boolean causedByDeletion(RuntimeException failure) {
			if (failure instanceof VideoGone || gone()) {
				return true;
			}
			try {
				return !VideoJobs.this.progress.exists(this.videoId);
			}
			catch (RuntimeException ex) {
				failure.addSuppressed(ex);
				return false;
			}
		}

		private synchronized void stop() {
			if (this.closed || this.gone) {
				return;
			}
			this.gone = true;
			logger.info("Video {} was deleted: stopping the work on it", this.videoId);
			VideoJobs.this.tools.stopFor(this.worker, this.videoId);
		}

		@Override
		public synchronized void close() {
			this.closed = true;
			VideoJobs.this.jobs.remove(this);
			if (this.gone) {
				VideoJobs.this.tools.release(this.worker);
			}
		}

	}

}
