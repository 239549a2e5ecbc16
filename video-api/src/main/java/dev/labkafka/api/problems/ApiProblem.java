package dev.labkafka.api.problems;

import java.net.URI;
import java.util.Locale;

import org.springframework.http.HttpStatus;

/**
 * Every problem the API answers with, written once: its status, its title, its type (a
 * page of this API, {@code /problems/<name>}, that describes it) and its detail, a format
 * of the arguments the code gives it. The code throws them
 * ({@link #exception(Object...)}); the OpenAPI description documents them from the same
 * constants ({@link Problems}), with the example arguments given here.
 * <p>
 * Spring MVC's own refusals (an unknown path, a method or media type the path does not
 * take) keep Spring's problems, of type {@code about:blank} with the status's own title.
 */
public enum ApiProblem {

	/** No video has this id. */
	VIDEO_NOT_FOUND(HttpStatus.NOT_FOUND, "Video not found", "No video has the id %s.", ApiProblem.ID),

	/** The id is not a MongoDB ObjectId. */
	INVALID_VIDEO_ID(HttpStatus.BAD_REQUEST, "Invalid video id", "A video id is 24 hexadecimal digits; '%s' is not.",
			"abc"),

	/** The video has no poster frame (yet: the worker makes it once it has probed it). */
	NO_THUMBNAIL(HttpStatus.NOT_FOUND, "No thumbnail",
			"Video %s has no thumbnail yet: the worker makes one once it has read the video, if ffprobe is installed.",
			ApiProblem.ID),

	/** The video has no file for that rendition (yet, or at all). */
	NO_RENDITION(HttpStatus.NOT_FOUND, "No such rendition",
			"Video %s has no file of its own for rendition %d: its 'variants' say where each of its renditions is "
					+ "(a scale above the original's height uses a smaller one's file; the mock makes none).",
			ApiProblem.ID, 1080),

	/**
	 * The video has no HLS level yet: no rendition with a media playlist is done (the
	 * mock transcoder makes none).
	 */
	NO_STREAM(HttpStatus.NOT_FOUND, "No HLS stream yet",
			"Video %s has no HLS level yet: the ffmpeg transcoder adds each rendition to its master playlist once it "
					+ "is encoded (the mock transcoder makes none); its 'hls' is null until then.",
			ApiProblem.ID),

	/** The video has no HLS level of that name (yet, or at all). */
	NO_STREAM_LEVEL(HttpStatus.NOT_FOUND, "No such HLS level",
			"Video %s has no HLS level '%s': its master playlist lists the levels it has.", ApiProblem.ID, "1080"),

	/**
	 * A stored file that cannot be read whole: part of it is missing from the database.
	 * Not the client's doing, and asking again does not help.
	 */
	CONTENT_DAMAGED(HttpStatus.INTERNAL_SERVER_ERROR, "Stored file damaged",
			"%s of video %s cannot be read: part of it is missing from the database. It has been logged.",
			"The rendition 720", ApiProblem.ID),

	/** A {@code Range} header that is malformed or lies outside the file. */
	RANGE_NOT_SATISFIABLE(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE, "Range not satisfiable",
			"The range '%s' is malformed or outside the video's %d bytes.", "bytes=999999-", 1024),

	/** Only a failed video can be retried. */
	NOT_RETRYABLE(HttpStatus.CONFLICT, "Video not failed", "Only a failed video can be retried; video %s is %s.",
			ApiProblem.ID, "success"),

	/** A paging parameter out of its range, or not a number. */
	INVALID_PARAMETER(HttpStatus.BAD_REQUEST, "Invalid request parameter", "%s",
			"limit must be less than or equal to 100"),

	/** The upload carries no file. */
	MISSING_FILE_PART(HttpStatus.BAD_REQUEST, "No file in the upload",
			"An upload takes one 'file' part with the video; this one has none."),

	/** The upload carries more than one file. */
	ONE_FILE_ONLY(HttpStatus.BAD_REQUEST, "One file per upload",
			"An upload takes exactly one 'file' part; this one has %d.", 2),

	/** The upload's file has no bytes. */
	EMPTY_UPLOAD(HttpStatus.BAD_REQUEST, "Empty upload", "The 'file' part of the upload is empty."),

	/**
	 * The upload's body is not what it claims to be, or it ended before it was complete.
	 */
	MALFORMED_UPLOAD(HttpStatus.BAD_REQUEST, "Malformed multipart body",
			"The multipart/form-data body could not be read: %s", "the body ended before it was complete"),

	/** The upload's bytes are not a video container the API knows. */
	NOT_A_VIDEO(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Not a video",
			"The uploaded bytes are not a video: expected MP4, QuickTime, WebM, Matroska, AVI, MPEG-TS, MPEG-PS, FLV "
					+ "or ASF."),

	/** The upload is larger than the limit. */
	UPLOAD_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "Upload too large",
			"A video may be at most %d bytes; this upload is larger.", 1073741824L),

	/** This instance reads as many upload bodies as it may at once. */
	TOO_MANY_UPLOADS(HttpStatus.SERVICE_UNAVAILABLE, "Too many uploads",
			"This server is reading %d uploads at once, as many as it may. Try again shortly.", 32),

	/** A client creates resumable uploads faster than it may. */
	UPLOAD_RATE_EXCEEDED(HttpStatus.TOO_MANY_REQUESTS, "Too many new uploads",
			"A client may create %d uploads a minute; try again after Retry-After seconds.", 60),

	/** A client has as many resumable uploads open as it may. */
	TOO_MANY_OPEN_UPLOADS(HttpStatus.TOO_MANY_REQUESTS, "Too many open uploads",
			"A client may have %d uploads open at once: finish or terminate one (DELETE), or wait for one to expire.",
			100),

	/** As many resumable uploads are open as the API takes, from all clients. */
	UPLOADS_FULL(HttpStatus.SERVICE_UNAVAILABLE, "No room for uploads",
			"The server holds as many open uploads as it may. Try again later."),

	/** One client sends as many upload bodies to this instance at once as it may. */
	TOO_MANY_UPLOADS_FROM_CLIENT(HttpStatus.SERVICE_UNAVAILABLE, "Too many uploads from this client",
			"This client is sending %d uploads to this server at once, as many as one client may. Try again once one "
					+ "has ended.",
			16),

	/** The upload's bytes came too slowly: it was cut off. */
	UPLOAD_TOO_SLOW(HttpStatus.REQUEST_TIMEOUT, "Upload too slow",
			"The upload's body brought %d bytes in %d s, under the %d bytes per second this server takes; it was cut "
					+ "off. A resumable upload keeps what arrived: ask with HEAD and continue from there.",
			12, 30, 16384),

	/** No resumable upload has this id (it never existed, was terminated or swept). */
	UPLOAD_NOT_FOUND(HttpStatus.NOT_FOUND, "Upload not found",
			"No upload has the id %s: it never existed, was terminated, or expired and was removed. Start a new upload.",
			ApiProblem.ID),

	/** The resumable upload received no bytes for too long; its bytes are removed. */
	UPLOAD_EXPIRED(HttpStatus.GONE, "Upload expired",
			"Upload %s expired: it received no bytes for too long. Start a new upload.", ApiProblem.ID),

	/** A {@code PATCH} that does not continue where the upload is. */
	OFFSET_MISMATCH(HttpStatus.CONFLICT, "Wrong offset",
			"Upload %s is at offset %d, not %d: ask with HEAD and continue from there.", ApiProblem.ID, 1024, 0),

	/** Another request is writing the upload's bytes right now. */
	UPLOAD_BUSY(HttpStatus.CONFLICT, "Upload busy",
			"Another request is writing upload %s right now; ask with HEAD and try again.", ApiProblem.ID),

	/** The upload has all its bytes: nothing may be added or terminated. */
	UPLOAD_COMPLETE(HttpStatus.CONFLICT, "Upload complete",
			"Upload %s is complete: it is the video /v1/videos/%s (delete the video to remove it).", ApiProblem.ID,
			ApiProblem.ID),

	/** A resumable upload request whose headers or body break the tus protocol. */
	INVALID_UPLOAD_REQUEST(HttpStatus.BAD_REQUEST, "Invalid upload request", "%s", "Upload-Length is missing."),

	/** A client speaking another version of the tus protocol. */
	UNSUPPORTED_TUS_VERSION(HttpStatus.PRECONDITION_FAILED, "Unsupported tus version",
			"This server speaks tus 1.0.0 (header Tus-Resumable: 1.0.0); the request %s",
			"has no Tus-Resumable header."),

	/** A {@code Last-Event-ID} that is not one of the ids the events carry. */
	INVALID_LAST_EVENT_ID(HttpStatus.BAD_REQUEST, "Invalid Last-Event-ID",
			"A Last-Event-ID is the id of an event this API sent (a number); '%s' is not.", "x"),

	/** This instance holds as many event streams as it may. */
	TOO_MANY_EVENT_STREAMS(HttpStatus.SERVICE_UNAVAILABLE, "No event stream available",
			"This instance has %d event streams open, its most; try again shortly.", 1000),

	/** This instance is shutting down: its clients connect again, elsewhere. */
	SHUTTING_DOWN(HttpStatus.SERVICE_UNAVAILABLE, "No event stream available",
			"This instance is shutting down; connect again."),

	/** MongoDB cannot be reached. */
	DATABASE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "Database unavailable",
			"The database cannot be reached. Try again shortly."),

	/** A write without a valid token, when writes need one. */
	TOKEN_NEEDED(HttpStatus.UNAUTHORIZED, "Token needed", "%s",
			"Writes need a bearer token with scope videos:write (header Authorization: Bearer <token>)."),

	/** A write whose token does not grant the scope writes need. */
	SCOPE_MISSING(HttpStatus.FORBIDDEN, "Scope missing", "The bearer token does not grant scope %s, which writes need.",
			"videos:write"),

	/**
	 * The keys tokens are checked with cannot be fetched from the identity provider (the
	 * {@code issuer-uri}'s discovery document or key set does not answer), so a write's
	 * token cannot be checked.
	 */
	IDENTITY_PROVIDER_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "Identity provider unavailable",
			"The keys this API checks tokens with cannot be fetched from its identity provider, so the token cannot "
					+ "be checked. Try again shortly."),

	/** A URL that Spring Security's firewall refuses. */
	REQUEST_REJECTED(HttpStatus.BAD_REQUEST, "Request rejected",
			"The request is not one this API reads: its URL is not normalized or holds characters it refuses, "
					+ "or its headers are not valid HTTP."),

	/** A request whose headers are larger than Tomcat reads (the request is not read). */
	HEADERS_TOO_LARGE(HttpStatus.BAD_REQUEST, "Request headers too large",
			"The request line and headers may be at most %d bytes in all; this request's are larger.", 8192),

	/** Anything unexpected: logged, and answered without internals. */
	UNEXPECTED(HttpStatus.INTERNAL_SERVER_ERROR, "Internal Server Error",
			"The server failed to handle the request; it has been logged.");

	/** The path the types are served under. */
	public static final String TYPES_PATH = "/problems/";

	/**
	 * Seconds a client is told to wait before trying again when a part is down or busy.
	 */
	public static final String RETRY_AFTER_SECONDS = "5";

	private static final String ID = "6650a1f2c3d4e5f6a7b8c9d0";

	private final HttpStatus status;

	private final String title;

	private final String detail;

	private final Object[] example;

	ApiProblem(HttpStatus status, String title, String detail, Object... example) {
		this.status = status;
		this.title = title;
		this.detail = detail;
		this.example = example;
	}

	public HttpStatus status() {
		return this.status;
	}

	public String title() {
		return this.title;
	}

	/** The name of its type: {@code video-not-found}. */
	public String typeName() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	/** Its type, as a path of this API: {@code /problems/video-not-found}. */
	public URI type() {
		return URI.create(TYPES_PATH + typeName());
	}

	/** The detail with these arguments. */
	public String detail(Object... arguments) {
		return String.format(Locale.ROOT, this.detail, arguments);
	}

	/** The detail as the documentation shows it, with the example arguments. */
	public String exampleDetail() {
		return detail(this.example);
	}

	/**
	 * Whether any request can be answered with it, whatever its endpoint: the OpenAPI
	 * description names these once, not on each operation.
	 */
	public boolean anyRequest() {
		return this == UNEXPECTED || this == REQUEST_REJECTED || this == HEADERS_TOO_LARGE;
	}

	/** Whether a client is told when to try again ({@code Retry-After}). */
	public boolean retryLater() {
		return this.status == HttpStatus.SERVICE_UNAVAILABLE || this.status == HttpStatus.TOO_MANY_REQUESTS;
	}

	/** The problem, to throw, with its detail made of these arguments. */
	public ProblemException exception(Object... arguments) {
		return new ProblemException(this, detail(arguments));
	}

	/** The problem whose type is named so, if any. */
	public static java.util.Optional<ApiProblem> named(String typeName) {
		return java.util.Arrays.stream(values()).filter((problem) -> problem.typeName().equals(typeName)).findFirst();
	}

	/**
	 * A client's value cut to 64 characters, for a detail that quotes it: a problem never
	 * echoes a long input back.
	 */
	public static String abbreviate(String value) {
		return (value.length() > 64) ? value.substring(0, 64) + "…" : value;
	}

}
