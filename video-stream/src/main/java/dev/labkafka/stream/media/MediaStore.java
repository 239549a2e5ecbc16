package dev.labkafka.stream.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import com.mongodb.MongoGridFSException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.gridfs.GridFSBucket;
import com.mongodb.client.gridfs.GridFSBuckets;
import com.mongodb.client.gridfs.model.GridFSFile;
import com.mongodb.client.gridfs.model.GridFSUploadOptions;
import com.mongodb.client.model.Filters;
import dev.labkafka.videos.StoredMedia;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.types.ObjectId;

import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.stereotype.Component;

/**
 * What the worker makes of a video and keeps with it, in the GridFS buckets of
 * {@link StoredMedia}: the poster frame, the encoded renditions with their playlists, and
 * the sound they share. Storing a file again replaces it (a redelivered job), so a bucket
 * never holds two files under one id.
 */
@Component
public class MediaStore {

	private final GridFSBucket thumbnails;

	private final GridFSBucket renditions;

	private final MongoCollection<Document> renditionChunks;

	MediaStore(MongoDatabaseFactory databases) {
		this.thumbnails = GridFSBuckets.create(databases.getMongoDatabase(), StoredMedia.THUMBNAILS_BUCKET);
		this.renditions = GridFSBuckets.create(databases.getMongoDatabase(), StoredMedia.RENDITIONS_BUCKET);
		this.renditionChunks = databases.getMongoDatabase().getCollection(StoredMedia.RENDITIONS_BUCKET + ".chunks");
	}

	public void storeThumbnail(String videoId, Path jpeg) {
		store(this.thumbnails, new BsonObjectId(new ObjectId(videoId)), videoId + ".jpg",
				new Document("contentType", StoredMedia.THUMBNAIL_TYPE), jpeg);
	}

	public void deleteThumbnail(String videoId) {
		delete(this.thumbnails, new BsonObjectId(new ObjectId(videoId)));
	}

	/**
	 * Stores a rendition's fragmented MP4 with its HLS media playlist in its metadata
	 * ({@link StoredMedia#PLAYLIST_METADATA}).
	 */
	public void storeRendition(String videoId, int scale, Path mp4, String playlist) {
		store(this.renditions, new BsonString(StoredMedia.renditionId(videoId, scale)), videoId + "-" + scale + ".mp4",
				new Document("contentType", StoredMedia.RENDITION_TYPE).append(StoredMedia.PLAYLIST_METADATA, playlist),
				mp4);
	}

	/**
	 * Stores the sound that the renditions of a video share (the rendition module claims
	 * its making).
	 */
	public void storeAudio(String videoId, Path m4a) {
		store(this.renditions, new BsonString(StoredMedia.audioId(videoId)), videoId + "-audio.m4a",
				new Document("contentType", "audio/mp4"), m4a);
	}

	/**
	 * Copies the shared sound of a video into {@code m4a}.
	 * @return false when it is not stored (yet)
	 */
	public boolean copyAudio(String videoId, Path m4a) {
		return copy(new BsonString(StoredMedia.audioId(videoId)), m4a);
	}

	private boolean copy(BsonValue id, Path file) {
		try (InputStream in = this.renditions.openDownloadStream(id)) {
			Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
			return true;
		}
		catch (MongoGridFSException ex) {
			return false;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Stores segment {@code index} of the rendition at {@code scale}, cut into segments.
	 */
	public void storeSegment(String videoId, int scale, int index, Path mp4) {
		store(this.renditions, new BsonString(StoredMedia.segmentId(videoId, scale, index)),
				videoId + "-" + scale + "-segment-" + index + ".mp4", new Document("contentType", "video/mp4"), mp4);
	}

	/**
	 * Copies a stored segment into {@code mp4}.
	 * @return false when it is not stored
	 */
	public boolean copySegment(String videoId, int scale, int index, Path mp4) {
		return copy(new BsonString(StoredMedia.segmentId(videoId, scale, index)), mp4);
	}

	/** Removes the segments of the rendition at {@code scale}: it is stitched. */
	public void deleteSegments(String videoId, int scale) {
		deleteUnder(StoredMedia.segmentsOf(videoId, scale));
	}

	/** Removes one stored segment: it came after its rendition was stitched. */
	public void deleteSegment(String videoId, int scale, int index) {
		delete(this.renditions, new BsonString(StoredMedia.segmentId(videoId, scale, index)));
	}

	public void deleteRendition(String videoId, int scale) {
		delete(this.renditions, new BsonString(StoredMedia.renditionId(videoId, scale)));
	}

	/**
	 * Removes everything stored for the video: its poster frame, and every file of the
	 * renditions bucket under {@link StoredMedia#ownedBy its id}, with the chunks of any
	 * whose upload has not finished (GridFS writes a file's entry after its chunks).
	 */
	public void deleteAll(String videoId) {
		delete(this.thumbnails, new BsonObjectId(new ObjectId(videoId)));
		deleteUnder(StoredMedia.ownedBy(videoId));
	}

	/**
	 * Removes every file of the renditions bucket whose id begins with {@code prefix} (a
	 * hex id, a slash, digits and words: nothing in it a pattern would read otherwise),
	 * with the chunks of any whose upload has not finished.
	 */
	private void deleteUnder(String prefix) {
		for (GridFSFile file : this.renditions.find(Filters.regex("_id", "^" + prefix))) {
			delete(this.renditions, file.getId());
		}
		this.renditionChunks.deleteMany(Filters.regex("files_id", "^" + prefix));
	}

	/**
	 * Uploads {@code file} under {@code id}, replacing what was there. When the upload
	 * fails half-way the driver removes the chunks it wrote.
	 */
	private static void store(GridFSBucket bucket, BsonValue id, String filename, Document metadata, Path file) {
		delete(bucket, id);
		GridFSUploadOptions options = new GridFSUploadOptions().metadata(metadata);
		try (InputStream in = Files.newInputStream(file)) {
			bucket.uploadFromStream(id, filename, in, options);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void delete(GridFSBucket bucket, BsonValue id) {
		try {
			bucket.delete(id);
		}
		catch (MongoGridFSException ex) {
			// Nothing stored under that id.
		}
	}

}
