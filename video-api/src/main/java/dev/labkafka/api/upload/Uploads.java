package dev.labkafka.api.upload;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.regex.Pattern;

import dev.labkafka.api.catalog.VideoCatalog;
import dev.labkafka.api.catalog.VideoFiles;
import dev.labkafka.api.problems.ApiProblem;
import dev.labkafka.api.problems.ProblemException;
import dev.labkafka.api.tracing.VideoContext;
import dev.labkafka.videos.Video;
import io.micrometer.core.instrument.Timer;
import org.bson.types.ObjectId;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.stereotype.Service;

/**
 * Stores an upload as it arrives: its type found in its first bytes, its bytes streamed
 * into GridFS, then the video recorded in the catalog (which announces it). An upload is
 * kept whole or not at all: when any step fails, the bytes are removed (at once, or once
 * the database is back when it is the database that went away).
 */
@Service
public class Uploads {

	private static final Logger logger = LoggerFactory.getLogger(Uploads.class);

	private static final int MAX_FILENAME_LENGTH = 255;

	/**
	 * What a file name loses: control characters, line and paragraph separators, and the
	 * invisible format characters (Unicode's category Cf): the bidirectional controls
	 * (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069), with which a name such as
	 * "clip", U+202E, "gpj.exe" would show as {@code clipexe.jpg}, and the zero-width
	 * ones (U+200B-U+200D, U+2060-U+2064, U+FEFF) that make two names look the same.
	 */
	private static final Pattern UNSAFE_CHARACTERS = Pattern.compile("[\\p{Cntrl}\\p{Zl}\\p{Zp}\\p{Cf}]");

	private final VideoCatalog catalog;

	private final VideoFiles files;

	private final VideoContext context;

	private final UploadMetrics metrics;

	Uploads(VideoCatalog catalog, VideoFiles files, VideoContext context, UploadMetrics metrics) {
		this.catalog = catalog;
		this.files = files;
		this.context = context;
		this.metrics = metrics;
	}

	/**
	 * Stores the upload's video as its bytes arrive, then its document, then announces
	 * it.
	 */
	Video store(IncomingUpload upload) {
		Timer.Sample sample = this.metrics.startUpload();
		try {
			ObjectId id = new ObjectId();
			Video video = this.context.about(id.toHexString(), "upload", () -> store(id, upload));
			this.metrics.uploadStored(sample, (video.size() != null) ? video.size() : 0);
			return video;
		}
		catch (RuntimeException ex) {
			this.metrics.uploadRefused(sample,
					ex instanceof ProblemException problem && problem.getStatusCode().is4xxClientError());
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
			return this.catalog.record(id, size, filename, contentType);
		}
		catch (RuntimeException ex) {
			removeBytes(id, ex);
			throw ex;
		}
	}

	/**
	 * The file's bytes into GridFS (which removes what it wrote when they fail half-way),
	 * then the rest of the upload; if that fails, the bytes are removed.
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

	/** The type of video the stream starts with, which it is read again from. */
	private static String sniff(InputStream in) throws IOException {
		in.mark(1);
		if (in.read() == -1) {
			throw ApiProblem.EMPTY_UPLOAD.exception();
		}
		in.reset();
		return VideoFormat.sniff(in).orElseThrow(ApiProblem.NOT_A_VIDEO::exception).contentType();
	}

	/**
	 * Removes the bytes of an upload that failed after some were stored: at once, or,
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

	/** The problem of an upload over {@code maxFileSize} bytes, which it names. */
	public static ProblemException tooLarge(long maxFileSize) {
		return ApiProblem.UPLOAD_TOO_LARGE.exception(maxFileSize).with("maxFileSize", maxFileSize);
	}

	/**
	 * The client's file name reduced to something safe to show: no directories, no
	 * control characters, at most 255 characters. It is only ever metadata, never a path.
	 */
	public static String cleanFilename(@Nullable String original) {
		if (original == null) {
			return "video";
		}
		String name = original.substring(Math.max(original.lastIndexOf('/'), original.lastIndexOf('\\')) + 1);
		name = UNSAFE_CHARACTERS.matcher(name).replaceAll("").strip();
		if (name.length() > MAX_FILENAME_LENGTH) {
			name = name.substring(0, MAX_FILENAME_LENGTH);
		}
		return (name.isEmpty() || name.equals(".") || name.equals("..")) ? "video" : name;
	}

}
