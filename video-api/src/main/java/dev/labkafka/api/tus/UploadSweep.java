package dev.labkafka.api.tus;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.labkafka.api.VideoApiSettings;
import dev.labkafka.api.catalog.VideoFiles;
import dev.labkafka.api.problems.ProblemException;
import dev.labkafka.api.tus.access.UploadAddress;
import dev.labkafka.videos.Video;
import dev.labkafka.videos.VideoFields;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.data.mongodb.core.MongoOperations;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

/**
 * Every {@code video.api.upload.sweep-interval}, on Spring's task scheduler: removes
 * expired uploads and their bytes, forgets complete uploads once they expire, finishes
 * uploads whose finishing was cut short, and removes GridFS bytes that belong to no video
 * and no upload once nothing was written to them for {@code video.api.upload.expiration}
 * (what an instance killed in the middle of an upload leaves behind).
 * <p>
 * Expired uploads are found by the {@code uploads} collection's index {@code expiry} and
 * removed {@value #BATCH} at a time, one removal per batch, until none is left: however
 * many were abandoned, a pass keeps up with their creation. An expired upload that
 * recorded no whole chunk has no bytes in GridFS to remove by its id (what an append that
 * died might have left there is the orphans' sweep's). The pass stops between batches and
 * between files once the application is stopping, so that a shutdown does not wait for it
 * ({@code spring.task.scheduling.shutdown.await-termination}).
 */
@Component
class UploadSweep implements SchedulingConfigurer, SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(UploadSweep.class);

	private static final int BATCH = 500;

	private final UploadRecords records;

	private final ResumableUploads uploads;

	private final GridFsChunks chunks;

	private final VideoFiles files;

	private final MongoOperations mongo;

	private final VideoApiSettings.Upload settings;

	private final TusMetrics metrics;

	private final Clock clock = Clock.systemUTC();

	private volatile boolean running;

	UploadSweep(UploadRecords records, ResumableUploads uploads, GridFsChunks chunks, VideoFiles files,
			MongoOperations mongo, VideoApiSettings settings, TusMetrics metrics) {
		this.records = records;
		this.uploads = uploads;
		this.chunks = chunks;
		this.files = files;
		this.mongo = mongo;
		this.settings = settings.upload();
		this.metrics = metrics;
	}

	@Override
	public void configureTasks(ScheduledTaskRegistrar tasks) {
		tasks.addFixedDelayTask(this::sweepSafely, this.settings.sweepInterval());
	}

	private void sweepSafely() {
		try {
			sweep();
		}
		catch (DataAccessException ex) {
			logger.warn("Upload sweep failed, trying again in {}: {}", this.settings.sweepInterval(), ex.toString());
		}
	}

	@Override
	public void start() {
		this.running = true;
	}

	/** The pass in progress stops at its next batch or file. */
	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** One pass, unless the application is stopping. */
	void sweep() {
		Instant now = now();
		removeExpired(now);
		if (!this.running) {
			return;
		}
		this.records.forgetComplete(now);
		for (Upload pending : this.records.finishing(now)) {
			if (!this.running) {
				return;
			}
			try {
				this.uploads.find(new UploadAddress(pending.id(), pending.key()), pending.owner());
			}
			catch (ProblemException ex) {
				// Gone, expired or busy meanwhile.
			}
		}
		Instant cutoff = now.minus(this.settings.expiration());
		this.chunks.filesMadeBefore(cutoff, BATCH, (candidates) -> {
			removeOrphans(candidates, cutoff);
			return this.running;
		});
	}

	/** Removes the uploads that expired before {@code now}, a batch at a time. */
	private void removeExpired(Instant now) {
		List<Upload> batch;
		do {
			batch = this.records.expired(now, BATCH);
			if (batch.isEmpty() || !this.running) {
				return;
			}
			Map<ObjectId, Upload> expired = batch.stream()
				.collect(Collectors.toMap(Upload::id, Function.identity(), (one, other) -> one, LinkedHashMap::new));
			List<ObjectId> removed = this.records.removeExpired(List.copyOf(expired.keySet()), now);
			if (removed.isEmpty()) {
				// Taken or removed meanwhile: the next pass looks again.
				return;
			}
			for (ObjectId id : removed) {
				Upload gone = expired.get(id);
				if (gone.chunks() > 0 && this.running) {
					this.uploads.removeBytes(id);
				}
				this.metrics.resumableUpload("expired");
				logger.info("Removed upload {}: it expired at {} with {} of {} bytes", id, gone.expiresAt(),
						gone.offset(), gone.length());
			}
		}
		while (batch.size() == BATCH);
	}

	/**
	 * Removes the files among {@code candidates} that no video and no upload owns and
	 * that nothing was written to since {@code cutoff}: a multipart upload cut short by a
	 * killed instance leaves such chunks.
	 */
	private void removeOrphans(List<ObjectId> candidates, Instant cutoff) {
		Set<ObjectId> owned = new HashSet<>(videosAmong(candidates));
		owned.addAll(this.records.among(candidates));
		for (ObjectId id : candidates) {
			if (!this.running) {
				return;
			}
			if (!owned.contains(id) && this.chunks.untouchedSince(id, cutoff)) {
				this.files.delete(id);
				logger.warn("Removed the bytes of {}: they belong to no video and no upload", id);
			}
		}
	}

	private List<ObjectId> videosAmong(List<ObjectId> ids) {
		Query owners = query(where(VideoFields.ID).in(ids));
		owners.fields().include(VideoFields.ID);
		return this.mongo.find(owners, Document.class, this.mongo.getCollectionName(Video.class))
			.stream()
			.map((owner) -> owner.getObjectId(VideoFields.ID))
			.toList();
	}

	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
	}

}
