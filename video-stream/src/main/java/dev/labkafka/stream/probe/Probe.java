package dev.labkafka.stream.probe;

import java.nio.file.Path;
import java.util.Optional;

import dev.labkafka.messages.Topics;
import dev.labkafka.messages.VideoMessage;
import dev.labkafka.stream.deletion.VideoJobs;
import dev.labkafka.stream.media.MediaFailure;
import dev.labkafka.stream.media.MediaInfo;
import dev.labkafka.stream.media.MediaStore;
import dev.labkafka.stream.media.MediaTools;
import dev.labkafka.stream.media.WorkFiles;
import dev.labkafka.stream.messaging.InvalidVideoMessage;
import dev.labkafka.stream.progress.VideoProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * What every upload gets, whatever the transcoder, when ffprobe is installed: its
 * {@code width}, {@code height} and {@code duration}, and a poster frame (the API serves
 * it at {@code /v1/videos/{id}/thumbnail}). It reads the uploads topic in a consumer
 * group of its own ({@link Topics#PROBE_GROUP}), beside the fan-out.
 * <p>
 * A file that passed the API's byte sniff but that ffprobe cannot read is not a video: it
 * is marked {@code failed} with ffprobe's reason, once. A poster frame that cannot be
 * taken is only a warning: the video still plays. Bytes that cannot be read (MongoDB
 * down, a chunk missing) are read again, with the waits of the probe's listener factory,
 * and when they still cannot be read the video fails with the reason (the messaging
 * module's {@code ListenerFactories}): where videos are probed, a video is done only once
 * its probe is. A video deleted while it is probed has its programs stopped and its
 * poster frame removed ({@link VideoJobs}). Without ffprobe this does nothing, and says
 * so once at startup.
 */
@Component
class Probe {

	private static final Logger logger = LoggerFactory.getLogger(Probe.class);

	private final MediaTools tools;

	private final WorkFiles work;

	private final MediaStore store;

	private final VideoProgress progress;

	private final ProbeMetrics metrics;

	private final VideoJobs jobs;

	Probe(MediaTools tools, WorkFiles work, MediaStore store, VideoProgress progress, ProbeMetrics metrics,
			VideoJobs jobs) {
		this.tools = tools;
		this.work = work;
		this.store = store;
		this.progress = progress;
		this.metrics = metrics;
		this.jobs = jobs;
	}

	@KafkaListener(id = "probe", groupId = Topics.PROBE_GROUP, topics = Topics.VIDEOS,
			containerFactory = "probeListenerContainerFactory")
	void onUpload(VideoMessage message) throws InterruptedException {
		VideoMessage upload = InvalidVideoMessage.checkUpload(message);
		if (!this.tools.probeAvailable()) {
			this.metrics.probe("unavailable");
			return;
		}
		if (this.progress.probed(upload.id())) {
			// A repeated announcement, or a video sent through the pipeline again.
			this.progress.probeNeeded(upload.id(), true);
			this.metrics.probe("probed_already");
			return;
		}
		try (VideoJobs.Job job = this.jobs.start(upload.id())) {
			try {
				probe(upload.id(), job);
			}
			catch (RuntimeException ex) {
				if (!job.causedByDeletion(ex)) {
					throw ex;
				}
				dropped(upload.id());
			}
		}
	}

	/**
	 * Probes the video in a job of its own, so that deleting the video meanwhile kills
	 * its ffprobe or ffmpeg.
	 */
	private void probe(String id, VideoJobs.Job job) throws InterruptedException {
		Optional<Path> source = this.work.copySource(id);
		if (source.isEmpty()) {
			this.progress.probeNeeded(id, false);
			this.metrics.probe("no_original");
			return;
		}
		try {
			probe(id, source.get(), job);
		}
		finally {
			this.work.delete(source.get());
		}
	}

	/**
	 * The video was deleted while it was probed: its poster frame goes, if it was stored
	 * (also one whose upload was under way when the API deleted the video).
	 */
	private void dropped(String id) {
		logger.info("Video {} was deleted while it was probed; dropping it", id);
		this.store.deleteThumbnail(id);
		this.metrics.probe("video_gone");
	}

	private void probe(String id, Path source, VideoJobs.Job job) throws InterruptedException {
		MediaInfo media;
		try {
			media = this.tools.probe(source);
		}
		catch (MediaFailure ex) {
			String reason = this.work.withoutPaths(ex.getMessage());
			logger.warn("Video {} is not readable media: {}", id, reason);
			this.progress.markNotMedia(id, "Not a video ffprobe can read: " + reason);
			this.metrics.probe("unreadable");
			return;
		}
		boolean thumbnail = storeThumbnail(id, source, media);
		if (job.gone() || !this.progress.recordMedia(id, media.width(), media.height(), media.duration(), thumbnail)) {
			this.store.deleteThumbnail(id);
			this.metrics.probe("video_gone");
			return;
		}
		logger.info("Video {} is {}x{}, {} s", id, media.width(), media.height(), media.duration());
		this.metrics.probe("probed");
	}

	/**
	 * Takes and stores the poster frame, before the size is recorded, so that a video is
	 * never done with its size but not yet its poster frame.
	 * @return whether it is stored
	 */
	private boolean storeThumbnail(String id, Path source, MediaInfo media) throws InterruptedException {
		Path jpeg = this.work.newFile(id + "-thumbnail-", ".jpg");
		try {
			this.tools.thumbnail(source, media, jpeg);
			this.store.storeThumbnail(id, jpeg);
			return true;
		}
		catch (MediaFailure ex) {
			logger.warn("Video {} has no poster frame: {}", id, ex.getMessage());
			return false;
		}
		finally {
			this.work.delete(jpeg);
		}
	}

}
