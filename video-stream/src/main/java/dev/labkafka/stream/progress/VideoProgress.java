package dev.labkafka.stream.progress;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.labkafka.messages.ProgressMessage;
import dev.labkafka.messages.VideoMessage;
import dev.labkafka.stream.media.MediaTools;
import dev.labkafka.videos.QueuedRecord;
import dev.labkafka.videos.Rendition;
import dev.labkafka.videos.SegmentProgress;
import dev.labkafka.videos.Video;
import dev.labkafka.videos.VideoFields;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * A video's progress through the pipeline: {@code encoding} once fanned out,
 * {@code success} once every rendition is in {@code variants}, or {@code failed} with an
 * {@code error} when a step gave up. Each step changes the video's document
 * ({@link Videos}) and, when it changed something the API shows, tells the API
 * ({@link ProgressEvents}), which pushes it to its clients.
 * <p>
 * The change is told on the thread that made it, once it is made: a change made in the
 * fan-out's Kafka transaction is told in that transaction (its message commits with the
 * fan-out, or not at all), any other at once. A change that cannot be told is logged and
 * dropped: it is in MongoDB, where clients read it.
 */
@Component
public class VideoProgress {

	private static final Logger logger = LoggerFactory.getLogger(VideoProgress.class);

	private final Videos videos;

	private final ProgressEvents events;

	private final MediaTools tools;

	VideoProgress(Videos videos, ProgressEvents events, MediaTools tools) {
		this.videos = videos;
		this.events = events;
		this.tools = tools;
	}

	/**
	 * Claims the fan-out of a video for the uploads-topic record {@code source} and marks
	 * the video as being encoded. The claim succeeds when the video waits to be fanned
	 * out ({@code uploaded}: new, retried or sent through again by the API), or when
	 * {@code source} itself claimed it: that record is being redelivered because its
	 * fan-out was never committed. Any other record is a repeated announcement of a video
	 * fanned out already.
	 * @return the scales still missing, or {@code null} when the claim failed (a repeat,
	 * or the video is gone)
	 */
	public @Nullable List<Integer> claimFanOut(String id, String source) {
		Video video = this.videos.claimFanOut(id, source);
		if (video == null) {
			return null;
		}
		this.events.publish(ProgressMessage.status(id));
		Map<String, String> variants = video.doneVariants();
		return VideoMessage.RENDITION_SCALES.stream()
			.filter((scale) -> !variants.containsKey(scale.toString()))
			.toList();
	}

	/**
	 * Runs, once, what the first video would otherwise pay for at its first reads and
	 * changes in MongoDB, on a video that does not exist, so that nothing changes: see
	 * {@link Videos#warmUp}.
	 */
	public void warmUp() {
		this.videos.warmUp();
	}

	/**
	 * Makes the producer that tells the API of changes outside the fan-out's transaction:
	 * see {@link ProgressEvents#warmUp}. Apart from {@link #warmUp}, as it needs Kafka,
	 * not MongoDB.
	 */
	public void warmUpEvents() {
		this.events.warmUp();
	}

	/**
	 * Keeps where the fan-out from {@code source} put the video's rendition messages, by
	 * scale, so that the API can tell a video whose renditions are still queued from one
	 * that is stuck.
	 */
	public void queued(String id, String source, Map<Integer, QueuedRecord> renditions) {
		this.videos.queued(id, source, renditions);
	}

	/**
	 * A rendition message moved on, to a retry topic or the dead-letter topic, or the
	 * rendition was cut into segments (the place of its last segment's message): keeps
	 * its new place.
	 */
	public void requeued(String id, int scale, QueuedRecord record) {
		this.videos.requeued(id, scale, record);
	}

	public boolean exists(String id) {
		return this.videos.exists(id);
	}

	/**
	 * Which of these videos still exist (one query, however many): the others were
	 * deleted.
	 */
	public Set<String> existing(Collection<String> ids) {
		return ids.isEmpty() ? Set.of() : this.videos.existing(ids);
	}

	/**
	 * Where a rendition stands before it is made: the video may be gone, or the rendition
	 * may be done already (a redelivered message).
	 */
	public RenditionState renditionState(String id, int scale) {
		Map<String, String> variants = this.videos.variants(id);
		if (variants == null) {
			return RenditionState.VIDEO_GONE;
		}
		return variants.containsKey(Integer.toString(scale)) ? RenditionState.DONE : RenditionState.TO_DO;
	}

	/** Where a rendition stands: see {@link #renditionState}. */
	public enum RenditionState {

		TO_DO, DONE, VIDEO_GONE

	}

	/**
	 * Records a finished rendition in {@code variants.<scale>} (and what it really is in
	 * {@code renditions.<scale>}, if the transcoder says), and marks the video done when
	 * it was the last one missing. Repeating it changes nothing.
	 * @param url where the rendition is fetched
	 * @param rendition what the rendition really is, or {@code null}
	 * @return whether the video still exists
	 */
	public boolean recordVariant(String id, int scale, String url, @Nullable Rendition rendition) {
		Video video = this.videos.recordVariant(id, scale, url, rendition);
		if (video == null) {
			logger.info("Video {} is gone; dropping its {} rendition", id, scale);
			return false;
		}
		this.events.publish(ProgressMessage.rendition(id, scale));
		if (video.hasEveryVariant()) {
			completeIfDone(id);
		}
		return true;
	}

	/**
	 * Plans the rendition at {@code scale} in segments (once), and the shared sound when
	 * {@code sound}; tells the API, whose clients show the progress.
	 * @return the video as it is now, with the segments stored so far, or {@code null}
	 * when it is gone
	 */
	public @Nullable Video planSegments(String id, int scale, SegmentProgress plan, boolean sound) {
		Video video = this.videos.planSegments(id, scale, plan, sound);
		if (video != null) {
			this.events.publish(ProgressMessage.segment(id, scale));
		}
		return video;
	}

	/**
	 * Records that segment {@code index} of the rendition at {@code scale} is stored, and
	 * tells the API.
	 * @return the video with it, or {@code null} when it is gone, or its plan has no such
	 * segment
	 */
	public @Nullable Video segmentStored(String id, int scale, int index) {
		Video video = this.videos.segmentStored(id, scale, index);
		if (video != null) {
			this.events.publish(ProgressMessage.segment(id, scale));
		}
		return video;
	}

	/**
	 * Records that the segments {@code indexes} of the rendition at {@code scale} are no
	 * longer stored (they are to be made again), and tells the API.
	 */
	public void segmentsRemoved(String id, int scale, List<Integer> indexes) {
		this.videos.segmentsRemoved(id, scale, indexes);
		this.events.publish(ProgressMessage.segment(id, scale));
	}

	/**
	 * Records that the shared sound of a video cut into segments is stored.
	 * @return the video with it, or {@code null} when it is gone
	 */
	public @Nullable Video soundStored(String id) {
		return this.videos.soundStored(id);
	}

	/** The video as it is now, or {@code null} when it is gone. */
	public @Nullable Video video(String id) {
		return this.videos.find(id);
	}

	/**
	 * Records what ffprobe found in the video's original: the size of its picture as
	 * shown, in pixels, its length in seconds, and whether its poster frame is stored;
	 * the probe is then done, and the video may be too.
	 * @return whether the video still exists
	 */
	public boolean recordMedia(String id, int width, int height, double duration, boolean thumbnail) {
		if (!this.videos.recordMedia(id, width, height, duration, thumbnail)) {
			return false;
		}
		this.events.publish(ProgressMessage.media(id));
		completeIfDone(id);
		return true;
	}

	/**
	 * Notes that the probe has nothing to record: the video was probed before (it is
	 * being encoded again), or has no bytes to probe. Either way it may now be done.
	 * @param before whether it was probed before
	 */
	public void probeNeeded(String id, boolean before) {
		if (this.videos.recordProbe(id, before ? VideoFields.PROBE_DONE : VideoFields.PROBE_SKIPPED)) {
			completeIfDone(id);
		}
	}

	/**
	 * Marks the video failed because its original's bytes could not be read, retries and
	 * all: so that it is never done without what the probe finds.
	 */
	public void markProbeFailed(String id, String error) {
		if (this.videos.markProbeFailed(id, error)) {
			this.events.publish(ProgressMessage.status(id));
		}
	}

	/** Whether the video was probed already: it has a size, or a poster frame. */
	public boolean probed(String id) {
		return this.videos.probed(id);
	}

	/**
	 * Marks the video done if it is being encoded and has every rendition, unless its
	 * original is not media. Where videos are probed (ffprobe is installed), also only
	 * once its probe is done or skipped. A video that failed meanwhile stays failed.
	 */
	public void completeIfDone(String id) {
		if (this.videos.completeIfDone(id, this.tools.probeAvailable())) {
			logger.info("Video {} has all its renditions", id);
			this.events.publish(ProgressMessage.status(id));
		}
	}

	/**
	 * Marks the video failed, with the reason (its first thousand characters): its
	 * messages ran out of retries, or its original is not readable media. A video done
	 * already stays done.
	 */
	public void markFailed(String id, String error) {
		if (this.videos.markFailed(id, error)) {
			this.events.publish(ProgressMessage.status(id));
		}
	}

	/**
	 * Marks the video failed for good because its original is not media: also when the
	 * mock's renditions finished first, and so that no retry completes it.
	 */
	public void markNotMedia(String id, String error) {
		if (this.videos.markNotMedia(id, error)) {
			this.events.publish(ProgressMessage.status(id));
		}
	}

}
