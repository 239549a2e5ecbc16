package dev.labkafka.stream.segment;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

import dev.labkafka.messages.VideoMessage;
import dev.labkafka.messages.VideoMessage.Part;
import dev.labkafka.stream.StreamSettings;
import dev.labkafka.stream.fanout.SegmentFanOut;
import dev.labkafka.stream.media.MediaFailure;
import dev.labkafka.stream.media.MediaInfo;
import dev.labkafka.stream.media.MediaStore;
import dev.labkafka.stream.media.MediaTools;
import dev.labkafka.stream.media.WorkFiles;
import dev.labkafka.stream.originals.OriginalReads;
import dev.labkafka.stream.packaging.Packaging;
import dev.labkafka.stream.progress.VideoProgress;
import dev.labkafka.videos.QueuedRecord;
import dev.labkafka.videos.SegmentProgress;
import dev.labkafka.videos.Video;
import dev.labkafka.videos.VideoFields;
import dev.labkafka.videos.VideoStatus;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The jobs of a rendition cut into segments, from its plan to its stitch.
 * <p>
 * {@link #split}: a rendition job of a long video plans its segments in the video's
 * document ({@code segments.<scale>}, once) and sends one message per segment not stored
 * yet, and one for the shared sound unless it is stored ({@link SegmentFanOut}).
 * {@link #make}: a segment job encodes its segment from the byte ranges of the original
 * it needs ({@link OriginalReads}), stores it in the renditions bucket and adds it to
 * {@code segments.<scale>.done}; the sound's job stores the sound and marks it stored.
 * Whichever of these updates finds every segment of a rendition and the sound stored
 * stitches the rendition ({@link Stitches}): once, even when messages are redelivered,
 * and only then, so that no playlist or variant lists a piece still missing.
 * <p>
 * Every step is safe to repeat: a segment stored already is not encoded again, a job
 * killed half-way leaves its message to be delivered again, and a redelivered job of a
 * stitch that another holds waits for it (or takes over a claim gone stale).
 */
@Component
public class SegmentJobs {

	private static final Logger logger = LoggerFactory.getLogger(SegmentJobs.class);

	/**
	 * How long a segment must be, at least, against the plan: shorter means ffmpeg
	 * stopped at damage in the original.
	 */
	private static final double MIN_LENGTH = 0.9;

	/** What a part's job came to. */
	public enum Outcome {

		/** The segment, or the sound, is stored now. */
		STORED,

		/** It was stored before: the message was delivered again. */
		REPEATED,

		/** The video is gone. */
		VIDEO_GONE,

		/**
		 * The video failed (another part gave up): not made, so that no core goes to a
		 * video that cannot complete; its retry sends what is missing again.
		 */
		VIDEO_FAILED

	}

	private final SegmentPlan plan;

	private final SegmentEncoder encoder;

	private final MediaTools tools;

	private final WorkFiles work;

	private final MediaStore store;

	private final OriginalReads reads;

	private final VideoProgress progress;

	private final SharedAudio audio;

	private final SegmentFanOut fanOut;

	private final SegmentMetrics metrics;

	private final Stitches stitches;

	private final Duration timeout;

	SegmentJobs(StreamSettings settings, MediaTools tools, WorkFiles work, MediaStore store, OriginalReads reads,
			VideoProgress progress, Packaging packaging, WorkClaims claims, SharedAudio audio, SegmentFanOut fanOut,
			SegmentMetrics metrics) {
		this.plan = SegmentPlan.of(settings.segments());
		this.encoder = new SegmentEncoder(tools);
		this.tools = tools;
		this.work = work;
		this.store = store;
		this.reads = reads;
		this.progress = progress;
		this.audio = audio;
		this.fanOut = fanOut;
		this.metrics = metrics;
		this.timeout = settings.transcodeTimeout();
		this.stitches = new Stitches(this.encoder, work, store, progress, packaging, claims, metrics, this.timeout);
	}

	/** Stops refreshing claims: the worker is stopping (its jobs are interrupted). */
	@PreDestroy
	void stop() {
		this.stitches.stop();
	}

	/**
	 * Cuts the rendition into segments, if the video is long enough: plans them and sends
	 * their messages.
	 * @param height the rendition's picture height
	 * @return whether it was cut (the rendition is then recorded once it is stitched)
	 */
	public boolean split(VideoMessage rendition, MediaInfo original, int height) throws InterruptedException {
		List<Part> parts = this.plan.parts(original, height);
		if (parts.isEmpty()) {
			return false;
		}
		double soundOffset = original.audio() ? original.audioStart() - original.videoStart() : 0;
		Video video = this.progress.planSegments(rendition.id(), rendition.scale(),
				SegmentProgress.planned(parts.size(), this.plan.length(), original.duration(), soundOffset),
				original.audio());
		if (video == null) {
			return true;
		}
		SegmentProgress planned = video.segmentProgress().get(Integer.toString(rendition.scale()));
		if (planned != null && planned.seconds() != null
				&& (planned.planned() != parts.size() || Math.abs(planned.seconds() - this.plan.length()) > 1e-9)) {
			// Planned before by a worker with other settings: its plan holds.
			Part first = parts.get(0);
			parts = IntStream.range(0, planned.planned())
				.mapToObj((index) -> new Part(index, planned.planned(), planned.seconds(), first.height(),
						first.origin(), first.seekMargin()))
				.toList();
		}
		List<VideoMessage> messages = new ArrayList<>();
		if (original.audio() && !VideoFields.SOUND_STORED.equals(video.sound())) {
			messages.add(rendition.withPart(Part.sound(parts.size())));
		}
		for (Part part : parts) {
			if (planned == null || !planned.stored(part.index())) {
				messages.add(rendition.withPart(part));
			}
		}
		logger.info("Video {}: rendition {} cut into {} segments of {} s ({} to make)", rendition.id(),
				rendition.scale(), parts.size(), parts.get(0).seconds(), messages.size());
		if (messages.isEmpty()) {
			// Planned, made and stored before: this message is a redelivery.
			this.stitches.stitchIfReady(rendition, video);
		}
		QueuedRecord last = this.fanOut.send(messages);
		if (last != null) {
			this.progress.requeued(rendition.id(), rendition.scale(), last);
		}
		return true;
	}

	/**
	 * Makes one part: a segment, or the shared sound.
	 * @throws MediaFailure when ffmpeg cannot make it (not retried)
	 */
	public Outcome make(VideoMessage message) throws InterruptedException {
		Part part = message.part();
		if (part == null) {
			throw new IllegalArgumentException("Not a part: " + message);
		}
		return part.sound() ? makeSound(message) : makeSegment(message, part);
	}

	private Outcome makeSegment(VideoMessage message, Part part) throws InterruptedException {
		String id = message.id();
		int scale = message.scale();
		Video video = this.progress.video(id);
		if (video == null) {
			return Outcome.VIDEO_GONE;
		}
		if (video.status() == VideoStatus.FAILED) {
			logger.info("Video {} failed: {} of its rendition {} is not made", id, part, scale);
			return Outcome.VIDEO_FAILED;
		}
		SegmentProgress before = video.segmentProgress().get(Integer.toString(scale));
		if (before == null || before.planned() != part.count()
				|| (before.seconds() != null && Math.abs(before.seconds() - part.seconds()) > 1e-9)) {
			logger.warn("Video {}: {} is not a segment of the plan of its rendition {} ({}); dropping it", id, part,
					scale, before);
			return Outcome.REPEATED;
		}
		if (before.stored(part.index())) {
			this.stitches.stitchIfReady(message, video);
			return Outcome.REPEATED;
		}
		long started = System.nanoTime();
		Path mp4 = this.work.newFile(id + "-" + scale + "-segment-" + part.index() + "-", ".mp4");
		long bytes;
		try {
			try (OriginalReads.Reading reading = this.reads.start(id)) {
				try {
					this.encoder.encode(reading.url(), part, mp4, this.timeout, (seconds) -> {
					});
				}
				catch (MediaFailure ex) {
					throw new MediaFailure(
							this.work.withoutPaths(ex.getMessage()).replace(reading.url(), "the original"), ex);
				}
				bytes = reading.bytesRead();
			}
			check(part, SegmentHeader.read(mp4));
			this.store.storeSegment(id, scale, part.index(), mp4);
		}
		finally {
			this.work.delete(mp4);
		}
		this.metrics.segment(scale, Duration.ofNanos(System.nanoTime() - started), bytes);
		Video after = this.progress.segmentStored(id, scale, part.index());
		if (after == null) {
			if (this.progress.video(id) == null) {
				return Outcome.VIDEO_GONE;
			}
			this.store.deleteSegment(id, scale, part.index());
			return Outcome.REPEATED;
		}
		logger.info("Video {}: segment {} of {} of rendition {} stored (read {} bytes of the original)", id,
				part.index() + 1, part.count(), scale, bytes);
		if (after.doneVariants().containsKey(Integer.toString(scale))) {
			// Stitched meanwhile from another copy of this segment: this one is stray.
			this.store.deleteSegment(id, scale, part.index());
			return Outcome.REPEATED;
		}
		this.stitches.stitchIfReady(message, after);
		return Outcome.STORED;
	}

	/**
	 * Fails the segment for good when it is much shorter than the plan says (the last
	 * one: when it has no frame): the original is damaged or cut short there.
	 */
	private static void check(Part part, SegmentHeader made) {
		if (!part.last() && made.seconds() < part.seconds() * MIN_LENGTH) {
			throw new MediaFailure(String.format(Locale.ROOT,
					"Segment %d is %.1f s long where the plan says %.1f s: the original is damaged or cut short",
					part.index() + 1, made.seconds(), part.seconds()));
		}
	}

	private Outcome makeSound(VideoMessage message) throws InterruptedException {
		String id = message.id();
		Video video = this.progress.video(id);
		if (video == null) {
			return Outcome.VIDEO_GONE;
		}
		if (video.status() == VideoStatus.FAILED) {
			logger.info("Video {} failed: the sound of its segments is not made", id);
			return Outcome.VIDEO_FAILED;
		}
		Outcome outcome = Outcome.REPEATED;
		if (!VideoFields.SOUND_STORED.equals(video.sound())) {
			Path m4a = this.work.newFile(id + "-sound-", ".m4a");
			try (OriginalReads.Reading reading = this.reads.start(id)) {
				try {
					MediaInfo original = this.tools.probe(reading.url());
					this.audio.store(id, reading.url(), original.audioCopyable(), this.timeout, m4a);
				}
				catch (MediaFailure ex) {
					throw new MediaFailure(
							this.work.withoutPaths(ex.getMessage()).replace(reading.url(), "the original"), ex);
				}
			}
			finally {
				this.work.delete(m4a);
			}
			video = this.progress.soundStored(id);
			if (video == null) {
				return Outcome.VIDEO_GONE;
			}
			outcome = Outcome.STORED;
			logger.info("Video {}: the sound its segments share is stored", id);
		}
		for (String scale : video.segmentProgress().keySet()) {
			this.stitches.stitchIfReady(message.withScale(Integer.parseInt(scale)), video);
		}
		return outcome;
	}

	/**
	 * Removes the segments of the video's renditions that are stitched already: what a
	 * stitch leaves when its worker stops (or MongoDB fails) between recording the
	 * rendition and removing its segments, found when that job's message comes again.
	 */
	public void removeStitched(String videoId) {
		Video video = this.progress.video(videoId);
		if (video == null) {
			return;
		}
		video.segmentProgress()
			.keySet()
			.stream()
			.filter(video.doneVariants()::containsKey)
			.forEach((scale) -> this.store.deleteSegments(videoId, Integer.parseInt(scale)));
	}

	/** Removes everything stored for a video deleted while its parts were made. */
	public void discard(String videoId) {
		this.store.deleteAll(videoId);
	}

}
