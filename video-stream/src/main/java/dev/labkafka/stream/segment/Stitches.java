package dev.labkafka.stream.segment;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.labkafka.messages.VideoMessage;
import dev.labkafka.stream.media.MediaFailure;
import dev.labkafka.stream.media.MediaStore;
import dev.labkafka.stream.media.WorkFiles;
import dev.labkafka.stream.packaging.Packaging;
import dev.labkafka.stream.progress.VideoProgress;
import dev.labkafka.videos.Rendition;
import dev.labkafka.videos.SegmentProgress;
import dev.labkafka.videos.StoredMedia;
import dev.labkafka.videos.Video;
import dev.labkafka.videos.VideoFields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stitch of a rendition cut into segments ({@link SegmentJobs}): once every segment
 * and the sound are stored, under a claim, so that it is made once even when messages are
 * redelivered. The segments are joined without encoding again, the result stored and
 * recorded as a whole rendition is ({@link Packaging}), and the segments removed. A job
 * that finds the claim held waits for its holder, or takes over a claim gone stale.
 */
final class Stitches {

	private static final Logger logger = LoggerFactory.getLogger(Stitches.class);

	/** How often a job waiting for another's stitch looks whether it is done. */
	private static final Duration POLL = Duration.ofMillis(200);

	/** How often the holder of a stitch says it is still at work, whatever it does. */
	private static final Duration REFRESH = WorkClaims.STALE.dividedBy(6);

	private final SegmentEncoder encoder;

	private final WorkFiles work;

	private final MediaStore store;

	private final VideoProgress progress;

	private final Packaging packaging;

	private final WorkClaims claims;

	private final SegmentMetrics metrics;

	private final Duration timeout;

	private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "stitch-claims");
		thread.setDaemon(true);
		return thread;
	});

	Stitches(SegmentEncoder encoder, WorkFiles work, MediaStore store, VideoProgress progress, Packaging packaging,
			WorkClaims claims, SegmentMetrics metrics, Duration timeout) {
		this.encoder = encoder;
		this.work = work;
		this.store = store;
		this.progress = progress;
		this.packaging = packaging;
		this.claims = claims;
		this.metrics = metrics;
		this.timeout = timeout;
	}

	/** Stops refreshing claims: the worker is stopping (its jobs are interrupted). */
	void stop() {
		this.refresher.shutdownNow();
	}

	/**
	 * Stitches the rendition if every segment and the sound are stored and it is not
	 * recorded yet.
	 */
	void stitchIfReady(VideoMessage rendition, Video video) throws InterruptedException {
		SegmentProgress segments = video.segmentProgress().get(Integer.toString(rendition.scale()));
		if (segments == null || !segments.complete() || VideoFields.SOUND_PLANNED.equals(video.sound())
				|| video.doneVariants().containsKey(Integer.toString(rendition.scale()))) {
			return;
		}
		String claim = WorkClaims.stitch(rendition.id(), rendition.scale());
		String owner = WorkClaims.newOwner();
		long deadline = System.nanoTime() + this.timeout.toNanos();
		while (true) {
			if (this.claims.claim(claim, owner)) {
				ScheduledFuture<?> refreshing = this.refresher.scheduleAtFixedRate(
						() -> this.claims.refresh(claim, owner), REFRESH.toMillis(), REFRESH.toMillis(),
						TimeUnit.MILLISECONDS);
				try {
					// Looked at again under the claim: the last holder may have just
					// recorded it.
					Video now = this.progress.video(rendition.id());
					if (now != null && !now.doneVariants().containsKey(Integer.toString(rendition.scale()))) {
						stitch(rendition, segments, now.sound() != null);
					}
				}
				finally {
					refreshing.cancel(false);
					this.claims.release(claim, owner);
				}
				return;
			}
			Video now = this.progress.video(rendition.id());
			if (now == null || now.doneVariants().containsKey(Integer.toString(rendition.scale()))) {
				return;
			}
			if (System.nanoTime() > deadline) {
				// Retried: the holder may yet finish, or its claim go stale.
				throw new IllegalStateException("Rendition " + rendition.scale() + " was not stitched within "
						+ this.timeout + ": another job holds the work");
			}
			Thread.sleep(POLL.toMillis());
		}
	}

	private void stitch(VideoMessage rendition, SegmentProgress segments, boolean withSound)
			throws InterruptedException {
		String id = rendition.id();
		int scale = rendition.scale();
		long started = System.nanoTime();
		String prefix = id + "-" + scale + "-stitch-";
		List<Path> files = new ArrayList<>();
		Path sound = null;
		Path list = this.work.newFile(prefix, ".txt");
		Path playlist = this.work.newFile(prefix, ".m3u8");
		Path media = this.work.newFile(prefix, ".mp4");
		try {
			for (int index = 0; index < segments.planned(); index++) {
				Path segment = this.work.newFile(prefix + index + "-", ".mp4");
				files.add(segment);
				if (!this.store.copySegment(id, scale, index, segment)) {
					throw new IllegalStateException("Segment " + index + " of rendition " + scale + " of video " + id
							+ " is recorded as stored but is not in the renditions bucket");
				}
			}
			requireJoinable(id, scale, files);
			if (withSound) {
				sound = this.work.newFile(prefix, ".m4a");
				if (!this.store.copyAudio(id, sound)) {
					throw new IllegalStateException("The shared sound of video " + id + " is not stored");
				}
			}
			this.encoder.stitch(files, sound, (segments.soundOffset() != null) ? segments.soundOffset() : 0, list,
					playlist, media, this.timeout, (seconds) -> {
					});
			Rendition made = this.packaging.store(id, scale, playlist, media, segments.expectedSeconds());
			if (this.progress.recordVariant(id, scale, StoredMedia.variantUrl(rendition.url(), scale), made)) {
				this.metrics.stitched(scale, Duration.ofNanos(System.nanoTime() - started));
				// Should this not finish, the message comes again and
				// SegmentJobs.removeStitched does it.
				this.store.deleteSegments(id, scale);
				logger.info("Video {}: rendition {} stitched from {} segments", id, scale, segments.planned());
			}
			else {
				this.store.deleteAll(id);
			}
		}
		catch (MediaFailure ex) {
			throw new MediaFailure(this.work.withoutPaths(ex.getMessage()), ex);
		}
		finally {
			files.forEach(this.work::delete);
			this.work.delete(sound);
			this.work.delete(list);
			this.work.delete(playlist);
			this.work.delete(media);
		}
	}

	/**
	 * Checks that the segments can be joined without encoding again: that all have the
	 * same codec parameters, time base and size. Those that differ from the others are
	 * removed, so that the video's retry makes them again.
	 * @throws MediaFailure naming them (not retried: the same pieces fail the same way)
	 */
	private void requireJoinable(String id, int scale, List<Path> files) {
		List<SegmentHeader> headers = files.stream().map(SegmentHeader::read).toList();
		List<Integer> unlike = SegmentHeader.unlike(headers);
		if (!unlike.isEmpty()) {
			unlike.forEach((index) -> this.store.deleteSegment(id, scale, index));
			this.progress.segmentsRemoved(id, scale, unlike);
			throw new MediaFailure(SegmentHeader.mismatch(headers, unlike));
		}
	}

}
