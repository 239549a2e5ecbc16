package dev.labkafka.videos;

/**
 * The {@code videos} collection and its documents' field names, with the original lab's
 * names for the fields it had. Each field has one writer:
 * <ul>
 * <li>the API writes the upload's fields, the outbox ({@link #ANNOUNCE_AT},
 * {@link #ANNOUNCEMENT}), and the status when it sends a video through the pipeline again
 * ({@code uploaded}, clearing the {@link #ERROR});</li>
 * <li>the worker writes the pipeline's progress: {@link #STATUS} from {@code encoding}
 * on, {@link #VARIANTS}, {@link #ERROR}, {@link #FAN_OUT} and {@link #RENDITIONS_QUEUED};
 * and what it finds in the media: {@link #WIDTH}, {@link #HEIGHT}, {@link #DURATION},
 * {@link #THUMBNAIL} and {@link #RENDITIONS}.</li>
 * </ul>
 * Both refresh {@link #UPDATED_AT} with every change.
 */
public final class VideoFields {

	/** The collection of the video documents. */
	public static final String COLLECTION = "videos";

	/** The video's id, an ObjectId; also the id of its bytes in GridFS. */
	public static final String ID = "_id";

	public static final String WIDTH = "width";

	public static final String HEIGHT = "height";

	public static final String SIZE = "size";

	/** Seconds, fractional. */
	public static final String DURATION = "duration";

	/** Where clients fetch the original's bytes (the API's public address). */
	public static final String URL = "url";

	/** A {@link VideoStatus#word()}. */
	public static final String STATUS = "status";

	/** Rendition scale (as a string) to the url of that rendition. */
	public static final String VARIANTS = "variants";

	/** Why the pipeline gave up on the video, while it is {@code failed}. */
	public static final String ERROR = "error";

	public static final String CREATED_AT = "created_at";

	/** The last change, by either service: the video's last progress. */
	public static final String UPDATED_AT = "updated_at";

	/** The client's file name, cleaned; never used as a path. */
	public static final String FILENAME = "filename";

	/** The container format found in the bytes. */
	public static final String CONTENT_TYPE = "content_type";

	/**
	 * Present while the video's announcement is not known to be on Kafka (the outbox):
	 * when it is due to be sent (again).
	 */
	public static final String ANNOUNCE_AT = "announce_at";

	/**
	 * Where Kafka put the video's last announcement: a {@link QueuedRecord} on the
	 * uploads topic.
	 */
	public static final String ANNOUNCEMENT = "announcement";

	/**
	 * Which uploads-topic record fanned the video out,
	 * {@code videos-<partition>@<offset>}: a redelivery of that record may fan it out
	 * again, another record may not.
	 */
	public static final String FAN_OUT = "fan_out";

	/**
	 * Where each of the video's rendition messages is, by scale (as a string): a
	 * {@link QueuedRecord} on the renditions topic once the fan-out sent it, then on a
	 * retry or dead-letter topic if the rendition failed.
	 */
	public static final String RENDITIONS_QUEUED = "renditions_queued";

	/**
	 * {@code true} once the worker has stored the video's poster frame (in the
	 * {@link StoredMedia#THUMBNAILS_BUCKET} bucket).
	 */
	public static final String THUMBNAIL = "thumbnail";

	/**
	 * What each rendition really is, by scale (as a string), when the ffmpeg transcoder
	 * made it: {@link #ENCODED}, and the {@link #WIDTH} and {@link #HEIGHT} of the file,
	 * or, for a scale above the source's height, the smaller scale it points to
	 * ({@link #SAME_AS}). The mock transcoder writes nothing here.
	 */
	public static final String RENDITIONS = "renditions";

	/**
	 * {@code true} once the worker's probe found that the original is not media ffprobe
	 * can read: the video stays {@code failed}, whatever else finishes or is retried.
	 */
	public static final String NOT_MEDIA = "not_media";

	/**
	 * How the worker's probe of the original ended, where the worker probes (ffprobe is
	 * installed): {@link #PROBE_DONE}, {@link #PROBE_SKIPPED} or {@link #PROBE_FAILED}. A
	 * video probed there becomes {@code success} only once its probe is done or skipped,
	 * so that it is never done without its size, length and poster frame.
	 */
	public static final String PROBE = "probe";

	/** {@link #PROBE}: the size, length and poster frame are recorded. */
	public static final String PROBE_DONE = "done";

	/**
	 * The segments of each rendition cut into segments (a long video with the ffmpeg
	 * transcoder), by scale (as a string): {@link #PLANNED} and {@link #DONE}, the
	 * indexes of those encoded and stored so far. Kept once the rendition is stitched.
	 */
	public static final String SEGMENTS = "segments";

	/** In a {@link #SEGMENTS} entry: how many segments the rendition is cut into. */
	public static final String PLANNED = "planned";

	/**
	 * In a {@link #SEGMENTS} entry: how much later than the picture the original's sound
	 * starts, in seconds.
	 */
	public static final String SOUND_OFFSET = "sound_offset";

	/** In a {@link #SEGMENTS} entry: the indexes of the segments stored. */
	public static final String DONE = "done";

	/**
	 * The sound of a video whose renditions are cut into segments, made once by a job of
	 * its own: {@link #SOUND_PLANNED} until it is stored ({@link #SOUND_STORED}); absent
	 * for a video without sound or whose renditions are whole.
	 */
	public static final String SOUND = "sound";

	/** {@link #SOUND}: its job is queued or running. */
	public static final String SOUND_PLANNED = "planned";

	/** {@link #SOUND}: it is in the renditions bucket, for the stitches to mux in. */
	public static final String SOUND_STORED = "stored";

	/** The path of one rendition's entry in {@link #SEGMENTS}. */
	public static String segments(int scale) {
		return SEGMENTS + "." + scale;
	}

	/** {@link #PROBE}: there were no stored bytes to probe. */
	public static final String PROBE_SKIPPED = "skipped";

	/**
	 * {@link #PROBE}: the original's bytes could not be read, after retries; the video is
	 * {@code failed} with the reason.
	 */
	public static final String PROBE_FAILED = "failed";

	/** In a {@link #RENDITIONS} entry: whether a file was encoded for this scale. */
	public static final String ENCODED = "encoded";

	/**
	 * In a {@link #RENDITIONS} entry: the scale whose file this one uses, because the
	 * source is not tall enough for a bigger one.
	 */
	public static final String SAME_AS = "same_as";

	/**
	 * In a {@link #RENDITIONS} entry: the peak bit rate of the rendition's HLS segments,
	 * in bits per second (the master playlist's {@code BANDWIDTH}).
	 */
	public static final String BANDWIDTH = "bandwidth";

	/**
	 * In a {@link #RENDITIONS} entry: the rendition's average bit rate, in bits per
	 * second (the master playlist's {@code AVERAGE-BANDWIDTH}).
	 */
	public static final String AVERAGE_BANDWIDTH = "average_bandwidth";

	/**
	 * In a {@link #RENDITIONS} entry: the RFC 6381 codecs of the rendition's file, such
	 * as {@code avc1.64001f,mp4a.40.2} (the master playlist's {@code CODECS}).
	 */
	public static final String CODECS = "codecs";

	/**
	 * In a {@link #RENDITIONS} entry: the rendition's frames per second (the master
	 * playlist's {@code FRAME-RATE}).
	 */
	public static final String FRAME_RATE = "frame_rate";

	/** The path of one rendition's entry in {@link #RENDITIONS}. */
	public static String rendition(int scale) {
		return RENDITIONS + "." + scale;
	}

	/** The path of one rendition's place in {@link #RENDITIONS_QUEUED}. */
	public static String queuedRendition(int scale) {
		return RENDITIONS_QUEUED + "." + scale;
	}

	/** The path of one rendition's url in {@link #VARIANTS}. */
	public static String variant(int scale) {
		return VARIANTS + "." + scale;
	}

	private VideoFields() {
	}

}
