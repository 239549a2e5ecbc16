package dev.labkafka.api.catalog;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.labkafka.api.VideoApiSettings;
import dev.labkafka.api.outbox.Outbox;
import dev.labkafka.api.problems.ApiProblem;
import dev.labkafka.messages.VideoMessage;
import dev.labkafka.videos.Video;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.io.Resource;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * The videos the API keeps: record one whose bytes are stored (however they were
 * carried), find, list, retry and delete them, and serve what is stored of them.
 * <p>
 * A video's document is written with its pending announcement (the outbox, in the same
 * document), then the announcement is sent; if Kafka is down the relay sends it later.
 * Each change is told to every API instance's clients ({@link VideoChanged}).
 */
@Service
public class VideoCatalog {

	private static final Logger logger = LoggerFactory.getLogger(VideoCatalog.class);

	private final Videos videos;

	private final VideoFiles files;

	private final Outbox outbox;

	private final ApplicationEventPublisher events;

	private final VideoApiSettings settings;

	private final Clock clock = Clock.systemUTC();

	VideoCatalog(Videos videos, VideoFiles files, Outbox outbox, ApplicationEventPublisher events,
			VideoApiSettings settings) {
		this.videos = videos;
		this.files = files;
		this.outbox = outbox;
		this.events = events;
		this.settings = settings;
	}

	/**
	 * Makes a video of bytes stored in GridFS under {@code id}: writes its document (with
	 * its announcement, the outbox), then announces it. For the last step of an upload,
	 * however it was carried. Recording a video that is already recorded (the insert
	 * reached the database, only its answer was lost) answers the video as it is.
	 */
	public Video record(ObjectId id, long size, String filename, String contentType) {
		Instant now = now();
		Video video = Video.uploaded(id, size, this.settings.contentUrl(id.toHexString()), now, filename, contentType,
				this.outbox.leaseFrom(now));
		try {
			this.videos.insert(video);
		}
		catch (DuplicateKeyException ex) {
			return find(id.toHexString());
		}
		logger.info("Stored video {} ({} bytes, {})", id, video.size(), contentType);
		this.outbox.announce(id, video.url());
		this.events.publishEvent(VideoChanged.status(id.toHexString()));
		return video;
	}

	/**
	 * Sends a failed video through the pipeline again; the worker makes only the
	 * renditions it is missing.
	 */
	public Video retry(String id) {
		ObjectId objectId = parseId(id);
		Video video = this.videos.retryFailed(objectId, this.outbox.sendAgain(now()));
		if (video == null) {
			Video current = find(id);
			String status = (current.status() != null) ? current.status().word() : "unknown";
			throw ApiProblem.NOT_RETRYABLE.exception(id, status).with("status", status);
		}
		logger.info("Retrying video {}", id);
		this.outbox.announce(video.id(), video.url());
		this.events.publishEvent(VideoChanged.status(id));
		return video;
	}

	/** The video with this id, if there is one. */
	public Optional<Video> lookUp(ObjectId id) {
		return this.videos.findById(id);
	}

	public Video find(String id) {
		return this.videos.findById(parseId(id)).orElseThrow(() -> notFound(id));
	}

	/** A page of videos, newest first. */
	public List<Video> list(int skip, int limit) {
		return this.videos.newestFirst(skip, limit);
	}

	/** The videos changed at or after {@code since}, the oldest change first. */
	public List<Video> changedSince(Instant since, int limit) {
		return this.videos.changedSince(since, limit);
	}

	/**
	 * Deletes the video's document, then its bytes, poster frame and renditions. Once the
	 * document is gone the video is: bytes that cannot be removed at once (the database
	 * went away in between) are removed once it is back.
	 */
	public void delete(String id) {
		ObjectId objectId = parseId(id);
		if (!this.videos.delete(objectId)) {
			throw notFound(id);
		}
		try {
			this.files.delete(objectId);
		}
		catch (DataAccessResourceFailureException ex) {
			this.files.removeLater(objectId);
		}
		logger.info("Deleted video {}", id);
		this.events.publishEvent(VideoChanged.gone(id));
	}

	/**
	 * Removes the bytes that uploads and deletes could not remove while the database was
	 * down, unless the video turns out to exist after all (its insert did reach the
	 * database, only the answer was lost).
	 */
	@Scheduled(fixedDelay = 1, timeUnit = TimeUnit.SECONDS)
	void removeAbandonedBytes() {
		try {
			this.files.removeAbandoned((id) -> !this.videos.exists(id));
		}
		catch (DataAccessException ex) {
			// The database is still away: the next pass tries again.
		}
	}

	/** The video's bytes, with the content type found in them at upload. */
	StoredContent content(String id) {
		Video video = find(id);
		Resource resource = this.files.find(video.id()).orElseThrow(() -> notFound(id));
		return new StoredContent(resource, video.contentType());
	}

	record StoredContent(Resource resource, String contentType) {
	}

	/** The video's poster frame, once the worker has made it. */
	StoredFile thumbnail(String id) {
		Video video = find(id);
		return this.files.thumbnail(video.id()).orElseThrow(() -> ApiProblem.NO_THUMBNAIL.exception(id));
	}

	/**
	 * The file the worker encoded for {@code scale}. A scale that was not encoded (the
	 * mock transcoder's, or one above the original's height) has none: its variant url
	 * says where it is.
	 */
	StoredFile rendition(String id, int scale) {
		Video video = find(id);
		if (!VideoMessage.RENDITION_SCALES.contains(scale)) {
			throw ApiProblem.NO_RENDITION.exception(id, scale);
		}
		return this.files.rendition(video.id(), scale).orElseThrow(() -> ApiProblem.NO_RENDITION.exception(id, scale));
	}

	/**
	 * The HLS media playlist the worker stored with the video's rendition at
	 * {@code scale}, and a tag that changes whenever that file is stored again; empty
	 * while there is none.
	 */
	public Optional<MediaPlaylist> mediaPlaylist(Video video, int scale) {
		return this.files.rendition(video.id(), scale)
			.flatMap((file) -> Optional.ofNullable(file.playlist())
				.map((text) -> new MediaPlaylist(text, file.tag() + "-m3u8")));
	}

	/**
	 * A media playlist: its text, whose segments are byte ranges of its rendition's file,
	 * and its tag.
	 */
	public record MediaPlaylist(String text, String tag) {
	}

	/** The id as an ObjectId, or the problem {@link ApiProblem#INVALID_VIDEO_ID}. */
	public static ObjectId parseId(String id) {
		if (!ObjectId.isValid(id)) {
			throw ApiProblem.INVALID_VIDEO_ID.exception(ApiProblem.abbreviate(id));
		}
		return new ObjectId(id);
	}

	private static RuntimeException notFound(String id) {
		return ApiProblem.VIDEO_NOT_FOUND.exception(id).with("id", id);
	}

	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
	}

}
