package dev.labkafka.api.video;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import dev.labkafka.api.video.VideoExceptions.EmptyUpload;
import dev.labkafka.api.video.VideoExceptions.InvalidVideoId;
import dev.labkafka.api.video.VideoExceptions.NoRendition;
import dev.labkafka.api.video.VideoExceptions.NoThumbnail;
import dev.labkafka.api.video.VideoExceptions.NotAVideo;
import dev.labkafka.api.video.VideoExceptions.NotRetryable;
import dev.labkafka.api.video.VideoExceptions.UploadRefused;
import dev.labkafka.api.video.VideoExceptions.VideoNotFound;
import dev.labkafka.messages.ProgressMessage;
import dev.labkafka.messages.VideoMessage;
import io.micrometer.core.instrument.Timer;
import org.bson.types.ObjectId;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.io.Resource;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

/**
 * What the API does with videos: store an upload and announce it, find, list, retry and
 * delete.
 * <p>
 * An upload is kept whole or not at all: its bytes go to GridFS first, then its document,
 * which also holds its pending announcement (the outbox); when storing fails, the bytes
 * are removed. The announcement is then sent to Kafka, and relayed later if Kafka is
 * down: the upload succeeds either way.
 */
@Service
class VideoCatalog {

	private static final Logger logger = LoggerFactory.getLogger(VideoCatalog.class);

	private static final int MAX_FILENAME_LENGTH = 255;

	private final Videos videos;

	private final VideoFiles files;

	private final Announcements announcements;

	private final ProgressPublisher progress;

	private final VideoApiSettings settings;

	private final VideoMetrics metrics;

	private final VideoContext context;

	private final Clock clock = Clock.systemUTC();

	VideoCatalog(Videos videos, VideoFiles files, Announcements announcements, ProgressPublisher progress,
			VideoApiSettings settings, VideoMetrics metrics, VideoContext context) {
		this.videos = videos;
		this.progress = progress;
		this.files = files;
		this.announcements = announcements;
		this.settings = settings;
		this.metrics = metrics;
		this.context = context;
	}

	/**
	 * Stores the upload's video as its bytes arrive, then its document, then announces
	 * it.
	 */
	Video upload(IncomingUpload upload) {
		Timer.Sample sample = this.metrics.startUpload();
		try {
			ObjectId id = new ObjectId();
			Video video = this.context.about(id.toHexString(), "upload", () -> store(id, upload));
			this.metrics.uploadStored(sample, video.size());
			return video;
		}
		catch (RuntimeException ex) {
			this.metrics.uploadRefused(sample, ex instanceof UploadRefused);
			throw ex;
		}
	}

	private Video store(ObjectId id, IncomingUpload upload) {
		String filename = cleanFilename(upload.filename());
		String contentType;
		long size;
		try (InputStream in = new BufferedInputStream(upload.content(), 64 * 1024)) {
			contentType = sniff(in);
			size = storeBytes(id, in, filename, contentType, upload);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		try {
			return record(id, size, filename, contentType);
		}
		catch (RuntimeException ex) {
			removeBytes(id, ex);
			throw ex;
		}
	}

	/**
	 * Makes a video of bytes stored in GridFS under {@code id}: writes its document (with
	 * its announcement, the outbox), then announces it. For the last step of an upload,
	 * however it was carried. Recording a video that is already recorded (the insert
	 * reached the database, only its answer was lost) answers the video as it is.
	 */
	Video record(ObjectId id, long size, String filename, String contentType) {
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
		Video video = Video.uploaded(id, size, this.settings.contentUrl(id.toHexString()), now, filename, contentType,
				leaseFrom(now));
		try {
			this.videos.insert(video);
		}
		catch (DuplicateKeyException ex) {
			return find(id.toHexString());
		}
		logger.info("Stored video {} ({} bytes, {})", id, video.size(), contentType);
		this.announcements.announce(id, video.url());
		this.progress.publish(ProgressMessage.status(id.toHexString()));
		return video;
	}

	/** The type of video the stream starts with, which it is read again from. */
	private static String sniff(InputStream in) throws IOException {
		in.mark(1);
		if (in.read() == -1) {
			throw new EmptyUpload();
		}
		in.reset();
		return VideoFormat.sniff(in).orElseThrow(NotAVideo::new).contentType();
	}

	/**
	 * The file's bytes into GridFS, then the rest of the upload; if either fails, the
	 * bytes are removed.
	 */
	private long storeBytes(ObjectId id, InputStream in, String filename, String contentType, IncomingUpload upload) {
		long size = this.files.store(id, in, filename, contentType);
		try {
			upload.finish();
		}
		catch (RuntimeException ex) {
			removeBytes(id, ex);
			throw ex;
		}
		return size;
	}

	/**
	 * Removes the bytes of an upload that failed after they were stored: at once, or,
	 * when the database is what failed, once it is back (without holding the request for
	 * a second timeout).
	 */
	private void removeBytes(ObjectId id, RuntimeException cause) {
		logger.warn("Upload {} failed, removing its bytes: {}", id, cause.toString());
		if (cause instanceof DataAccessResourceFailureException) {
			this.files.removeLater(id);
			return;
		}
		try {
			this.files.delete(id);
		}
		catch (DataAccessResourceFailureException ex) {
			this.files.removeLater(id);
		}
	}

	/**
	 * Sends a failed video through the pipeline again; the worker makes only the
	 * renditions it is missing.
	 */
	Video retry(String id) {
		ObjectId objectId = parseId(id);
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
		Video video = this.videos.retryFailed(objectId, now, leaseFrom(now));
		if (video == null) {
			Video current = find(id);
			throw new NotRetryable(id, current.status());
		}
		logger.info("Retrying video {}", id);
		this.announcements.announce(video.id(), video.url());
		this.progress.publish(ProgressMessage.status(id));
		return video;
	}

	/**
	 * Sends a video found stuck through the pipeline again, unless it has moved
	 * meanwhile.
	 */
	boolean redrive(InProgress stuck) {
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
		InProgress video = this.videos.redrive(stuck, now, leaseFrom(now));
		if (video == null) {
			return false;
		}
		if (video.url() == null) {
			logger.warn("Video {} has no url to announce; it waits in the outbox", video.id());
			return true;
		}
		this.context.about(video.id().toHexString(), "redrive", () -> {
			logger.warn("Video {} was {} with nothing of it left in Kafka and no progress since {}; "
					+ "sending it through the pipeline again", video.id(), stuck.status(), stuck.updatedAt());
			this.metrics.redriven();
			this.announcements.announce(video.id(), video.url());
			this.progress.publish(ProgressMessage.status(video.id().toHexString()));
		});
		return true;
	}

	/** An announcement sent now is left alone by the relay until this lease runs out. */
	private Instant leaseFrom(Instant now) {
		return now.plus(this.settings.outbox().lease());
	}

	Video find(String id) {
		return this.videos.findById(parseId(id)).orElseThrow(() -> new VideoNotFound(id));
	}

	/** A page of videos, newest first. */
	List<Video> list(int skip, int limit) {
		return this.videos.newestFirst(skip, limit);
	}

	/**
	 * Deletes the video's document, then its bytes, poster frame and renditions. Once the
	 * document is gone the video is: bytes that cannot be removed at once (the database
	 * went away in between) are removed once it is back.
	 */
	void delete(String id) {
		ObjectId objectId = parseId(id);
		if (!this.videos.delete(objectId)) {
			throw new VideoNotFound(id);
		}
		try {
			this.files.delete(objectId);
		}
		catch (DataAccessResourceFailureException ex) {
			this.files.removeLater(objectId);
		}
		logger.info("Deleted video {}", id);
		this.progress.publish(ProgressMessage.deleted(id));
	}

	/**
	 * Removes the bytes that uploads and deletes could not remove while the database was
	 * down, unless the video turns out to exist after all (its insert did reach the
	 * database, only the answer was lost).
	 */
	void removeAbandonedBytes() {
		this.files.removeAbandoned((id) -> !this.videos.exists(id));
	}

	/** The video's bytes, with the content type found in them at upload. */
	StoredContent content(String id) {
		Video video = find(id);
		Resource resource = this.files.find(video.id()).orElseThrow(() -> new VideoNotFound(id));
		return new StoredContent(resource, video.contentType());
	}

	record StoredContent(Resource resource, String contentType) {
	}

	/** The video's poster frame, once the worker has made it. */
	VideoFiles.StoredFile thumbnail(String id) {
		Video video = find(id);
		return this.files.thumbnail(video.id()).orElseThrow(() -> new NoThumbnail(id));
	}

	/**
	 * The file the worker encoded for {@code scale}. A scale that was not encoded (the
	 * mock transcoder's, or one above the original's height) has none: its variant url
	 * says where it is.
	 */
	VideoFiles.StoredFile rendition(String id, int scale) {
		Video video = find(id);
		if (!VideoMessage.RENDITION_SCALES.contains(scale)) {
			throw new NoRendition(id, scale);
		}
		return this.files.rendition(video.id(), scale).orElseThrow(() -> new NoRendition(id, scale));
	}

	/** The id as an ObjectId, or an {@link InvalidVideoId}. */
	static ObjectId parseId(String id) {
		if (!ObjectId.isValid(id)) {
			throw new InvalidVideoId(id);
		}
		return new ObjectId(id);
	}

	/**
	 * The client's file name reduced to something safe to show: no directories, no
	 * control characters, at most 255 characters. It is only ever metadata, never a path.
	 */
	static String cleanFilename(@Nullable String original) {
		if (original == null) {
			return "video";
		}
		String name = original.substring(Math.max(original.lastIndexOf('/'), original.lastIndexOf('\\')) + 1);
		name = name.replaceAll("[\\p{Cntrl}\\p{Zl}\\p{Zp}]", "").strip();
		if (name.length() > MAX_FILENAME_LENGTH) {
			name = name.substring(0, MAX_FILENAME_LENGTH);
		}
		return (name.isEmpty() || name.equals(".") || name.equals("..")) ? "video" : name;
	}

}
