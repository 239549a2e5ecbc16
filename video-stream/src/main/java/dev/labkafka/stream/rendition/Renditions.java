package dev.labkafka.stream.rendition;

import dev.labkafka.messages.Topics;
import dev.labkafka.messages.VideoMessage;
import dev.labkafka.stream.deletion.VideoJobs;
import dev.labkafka.stream.messaging.InvalidVideoMessage;
import dev.labkafka.stream.progress.VideoProgress;
import dev.labkafka.stream.segment.SegmentJobs;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Steps 4 and 5 of the pipeline: make the rendition a message asks for, then record it in
 * the video's {@code variants}.
 * <p>
 * A message is delivered at least once (a worker that dies mid-rendition hands it to
 * another), so a rendition that is already recorded is acknowledged without being made
 * again, and one for a video deleted meanwhile is dropped, also while it is being made
 * ({@link VideoJobs}). The consumers run without Kafka transactions, each holding one
 * record at a time for as long as its rendition takes (see the messaging module's
 * {@code ListenerFactories}); a rendition that fails goes to the retry topics
 * ({@code ErrorHandling}) while the consumer goes on. A long video's rendition is cut
 * into segments by its transcoder, and each segment (and the sound they share) comes back
 * here as a message of its own, made by {@link SegmentJobs}, and failed, retried and
 * dropped alone in the same way.
 */
@Component
class Renditions {

	private static final Logger logger = LoggerFactory.getLogger(Renditions.class);

	private final Transcoder transcoder;

	private final VideoProgress progress;

	private final RenditionMetrics metrics;

	private final VideoJobs jobs;

	private final SegmentJobs segments;

	Renditions(Transcoder transcoder, VideoProgress progress, RenditionMetrics metrics, VideoJobs jobs,
			SegmentJobs segments) {
		this.transcoder = transcoder;
		this.progress = progress;
		this.metrics = metrics;
		this.jobs = jobs;
		this.segments = segments;
	}

	@KafkaListener(id = "renditions", groupId = Topics.RENDITIONS_GROUP, topics = Topics.RENDITIONS,
			containerFactory = "renditionListenerContainerFactory")
	void onRendition(VideoMessage message) throws InterruptedException {
		VideoMessage rendition = InvalidVideoMessage.checkRendition(message);
		Timer.Sample sample = this.metrics.startRendition();
		switch (this.progress.renditionState(rendition.id(), rendition.scale())) {
			case VIDEO_GONE -> {
				logger.info("Video {} is gone; dropping its {} rendition", rendition.id(), rendition.scale());
				this.metrics.rendition(sample, rendition.scale(), "video_gone");
			}
			case DONE -> {
				logger.info("Video {}: rendition {} is done already; not making it again", rendition.id(),
						rendition.scale());
				if (rendition.part() != null) {
					this.segments.removeStitched(rendition.id());
				}
				this.metrics.rendition(sample, rendition.scale(), "already_done");
			}
			case TO_DO -> {
				logger.info("Video {}: took rendition {}{}", rendition.id(), rendition.scale(),
						(rendition.part() != null) ? ", " + rendition.part() : "");
				if (rendition.part() != null) {
					makePart(rendition, sample);
				}
				else {
					make(rendition, sample);
				}
			}
		}
	}

	/**
	 * Makes the rendition in a job of its video, so that deleting the video meanwhile
	 * stops it (its ffmpeg is killed). A rendition of a deleted video, whenever the
	 * deletion came, is dropped: acknowledged, not retried, and whatever was stored for
	 * the video goes (also a file whose upload was under way when the API deleted the
	 * others).
	 */
	private void make(VideoMessage rendition, Timer.Sample sample) throws InterruptedException {
		try (VideoJobs.Job job = this.jobs.start(rendition.id())) {
			Transcoder.Variant variant;
			try {
				variant = this.transcoder.transcode(rendition);
			}
			catch (RuntimeException ex) {
				if (!job.causedByDeletion(ex)) {
					throw ex;
				}
				dropped(rendition, sample);
				return;
			}
			if (variant == null) {
				this.metrics.rendition(sample, rendition.scale(), "cut_into_segments");
				return;
			}
			logger.info("Video {}: transcoded rendition {}", rendition.id(), rendition.scale());
			if (job.gone() || !this.progress.recordVariant(rendition.id(), rendition.scale(), variant.url(),
					variant.rendition())) {
				dropped(rendition, sample);
				return;
			}
			this.metrics.rendition(sample, rendition.scale(), "done");
		}
	}

	/**
	 * Makes one segment of a rendition cut into segments, or the sound they share, in a
	 * job of its video, as {@link #make} does a whole rendition.
	 */
	private void makePart(VideoMessage part, Timer.Sample sample) throws InterruptedException {
		try (VideoJobs.Job job = this.jobs.start(part.id())) {
			SegmentJobs.Outcome outcome;
			try {
				outcome = this.segments.make(part);
			}
			catch (RuntimeException ex) {
				if (!job.causedByDeletion(ex)) {
					throw ex;
				}
				outcome = SegmentJobs.Outcome.VIDEO_GONE;
			}
			if (job.gone() || outcome == SegmentJobs.Outcome.VIDEO_GONE) {
				logger.info("Video {} was deleted while a part of its {} rendition was made; dropping it", part.id(),
						part.scale());
				this.segments.discard(part.id());
				this.metrics.rendition(sample, part.scale(), "video_gone");
				return;
			}
			this.metrics.rendition(sample, part.scale(), switch (outcome) {
				case STORED -> "part_done";
				case VIDEO_FAILED -> "part_of_failed_video";
				default -> "part_repeated";
			});
		}
	}

	private void dropped(VideoMessage rendition, Timer.Sample sample) {
		logger.info("Video {} was deleted while its {} rendition was made; dropping it", rendition.id(),
				rendition.scale());
		this.transcoder.discard(rendition);
		this.metrics.rendition(sample, rendition.scale(), "video_gone");
	}

}
