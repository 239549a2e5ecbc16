package dev.labkafka.api.video;

/**
 * What can go wrong with a request about videos, in the catalog's words. None of them
 * knows about HTTP: {@link VideoProblems} turns each into an RFC 9457 problem with its
 * status.
 */
final class VideoExceptions {

	private VideoExceptions() {
	}

	/** No video has this id. */
	static final class VideoNotFound extends RuntimeException {

		private final String id;

		VideoNotFound(String id) {
			super("No video has the id " + id + ".");
			this.id = id;
		}

		String id() {
			return this.id;
		}

	}

	/** The video has no poster frame (yet: the worker makes it once it has probed it). */
	static final class NoThumbnail extends RuntimeException {

		NoThumbnail(String id) {
			super("Video " + id
					+ " has no thumbnail yet: the worker makes one once it has read the video, if ffprobe is installed.");
		}

	}

	/** The video has no file for that rendition (yet, or at all). */
	static final class NoRendition extends RuntimeException {

		NoRendition(String id, int scale) {
			super("Video " + id + " has no file of its own for rendition " + scale
					+ ": its 'variants' say where each of its renditions is (a scale above the original's height"
					+ " uses a smaller one's file; the mock makes none).");
		}

	}

	/**
	 * No more event streams: this instance holds as many as it may, or it is shutting
	 * down.
	 */
	static final class NoEventStream extends RuntimeException {

		NoEventStream(String reason) {
			super(reason);
		}

	}

	/** A {@code Last-Event-ID} that is not one of the ids the events carry. */
	static final class InvalidLastEventId extends RuntimeException {

		InvalidLastEventId(String id) {
			super("A Last-Event-ID is the id of an event this API sent (a number); '" + abbreviate(id) + "' is not.");
		}

	}

	/** The id is not a MongoDB ObjectId. */
	static final class InvalidVideoId extends RuntimeException {

		InvalidVideoId(String id) {
			super("A video id is 24 hexadecimal digits; '" + abbreviate(id) + "' is not.");
		}

	}

	/** Only a failed video can be retried. */
	static final class NotRetryable extends RuntimeException {

		private final String status;

		NotRetryable(String id, String status) {
			super("Only a failed video can be retried; video " + id + " is " + status + ".");
			this.status = status;
		}

		String status() {
			return this.status;
		}

	}

	/** Why an upload was refused; nothing of it is kept. */
	abstract static sealed class UploadRefused extends RuntimeException
			permits MissingFilePart, OneFileOnly, EmptyUpload, NotAVideo, UploadTooLarge, MalformedUpload {

		UploadRefused(String message) {
			super(message);
		}

	}

	/** The upload carries no file. */
	static final class MissingFilePart extends UploadRefused {

		MissingFilePart() {
			super("An upload takes one 'file' part with the video; this one has none.");
		}

	}

	/** The upload carries more than one file. */
	static final class OneFileOnly extends UploadRefused {

		OneFileOnly(int files) {
			super("An upload takes exactly one 'file' part; this one has " + files + ".");
		}

	}

	/** The upload's file has no bytes. */
	static final class EmptyUpload extends UploadRefused {

		EmptyUpload() {
			super("The 'file' part of the upload is empty.");
		}

	}

	/** The upload's bytes are not a video container the API knows. */
	static final class NotAVideo extends UploadRefused {

		NotAVideo() {
			super("The uploaded bytes are not a video: expected MP4, QuickTime, WebM, Matroska, AVI, MPEG-TS, MPEG-PS, FLV or ASF.");
		}

	}

	/** The upload's file is larger than the limit. */
	static final class UploadTooLarge extends UploadRefused {

		private final long maxFileSize;

		UploadTooLarge(long maxFileSize) {
			super("A video may be at most " + maxFileSize + " bytes; this upload is larger.");
			this.maxFileSize = maxFileSize;
		}

		long maxFileSize() {
			return this.maxFileSize;
		}

	}

	/**
	 * The upload's body is not what it claims to be, or it ended before it was complete.
	 */
	static final class MalformedUpload extends UploadRefused {

		MalformedUpload(String reason) {
			super("The multipart/form-data body could not be read: " + abbreviate(reason));
		}

	}

	/** No resumable upload has this id (it never existed, was terminated or swept). */
	static final class UploadNotFound extends RuntimeException {

		UploadNotFound(String id) {
			super("No upload has the id " + abbreviate(id)
					+ ": it never existed, was terminated, or expired and was removed. Start a new upload.");
		}

	}

	/** The resumable upload received no bytes for too long; its bytes are removed. */
	static final class UploadExpired extends RuntimeException {

		UploadExpired(String id) {
			super("Upload " + id + " expired: it received no bytes for too long. Start a new upload.");
		}

	}

	/** A {@code PATCH} that does not continue where the upload is. */
	static final class OffsetMismatch extends RuntimeException {

		private final long offset;

		OffsetMismatch(String id, long given, long offset) {
			super("Upload " + id + " is at offset " + offset + ", not " + given
					+ ": ask with HEAD and continue from there.");
			this.offset = offset;
		}

		long offset() {
			return this.offset;
		}

	}

	/** Another request is writing the upload's bytes right now. */
	static final class UploadBusy extends RuntimeException {

		UploadBusy(String id) {
			super("Another request is writing upload " + id + " right now; ask with HEAD and try again.");
		}

	}

	/** The upload has all its bytes: nothing may be added or terminated. */
	static final class UploadComplete extends RuntimeException {

		UploadComplete(String id) {
			super("Upload " + id + " is complete: it is the video /v1/videos/" + id
					+ " (delete the video to remove it).");
		}

	}

	/** A resumable upload request whose headers or body break the tus protocol. */
	static final class InvalidUploadRequest extends RuntimeException {

		InvalidUploadRequest(String reason) {
			super(reason);
		}

	}

	/** A client speaking another version of the tus protocol. */
	static final class UnsupportedTusVersion extends RuntimeException {

		UnsupportedTusVersion(String version) {
			super("This server speaks tus 1.0.0 (header Tus-Resumable: 1.0.0); the request "
					+ ((version == null) ? "has no Tus-Resumable header." : "asks for '" + abbreviate(version) + "'."));
		}

	}

	/** This instance reads as many upload bodies as it may at once. */
	static final class TooManyUploads extends RuntimeException {

		TooManyUploads(int max) {
			super("This server is reading " + max + " uploads at once, as many as it may. Try again shortly.");
		}

	}

	static String abbreviate(String text) {
		return (text.length() > 64) ? text.substring(0, 64) + "…" : text;
	}

}
