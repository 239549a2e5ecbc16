package dev.labkafka.videos;

/**
 * Where the media made from a video live, and the addresses the API serves them at. The
 * original's bytes are in GridFS's default bucket under the video's id (the API writes
 * them); the worker writes the poster frame and the encoded renditions into buckets of
 * their own; the API serves all three and deletes them with the video.
 */
public final class StoredMedia {

	/**
	 * The GridFS bucket of the poster frames: one JPEG per video, under the video's id.
	 */
	public static final String THUMBNAILS_BUCKET = "thumbnails";

	/**
	 * The GridFS bucket of the encoded renditions: one MP4 per encoded scale, under
	 * {@link #renditionId}.
	 */
	public static final String RENDITIONS_BUCKET = "renditions";

	/** The content type of a rendition file. */
	public static final String RENDITION_TYPE = "video/mp4";

	/** The content type of an HLS playlist, master or media. */
	public static final String PLAYLIST_TYPE = "application/vnd.apple.mpegurl";

	/**
	 * The field of a rendition file's GridFS metadata that holds its HLS media playlist,
	 * whose segments are byte ranges of that file at {@link #segmentUri}.
	 */
	public static final String PLAYLIST_METADATA = "playlist";

	/**
	 * The path segment of a video's playlists: {@code /v1/videos/{id}/hls/master.m3u8}
	 * and {@code /v1/videos/{id}/hls/<scale>.m3u8}.
	 */
	public static final String HLS_PATH = "hls";

	/** The last path segment of a video's master playlist. */
	public static final String MASTER_PLAYLIST = "master.m3u8";

	/** The content type of a poster frame. */
	public static final String THUMBNAIL_TYPE = "image/jpeg";

	/** The last path segment of a video's original: {@code /v1/videos/{id}/content}. */
	public static final String CONTENT_PATH = "content";

	/**
	 * The path segment of a video's renditions: {@code /v1/videos/{id}/variants/{scale}}.
	 */
	public static final String VARIANTS_PATH = "variants";

	/**
	 * The last path segment of a video's poster frame: {@code /v1/videos/{id}/thumbnail}.
	 */
	public static final String THUMBNAIL_PATH = "thumbnail";

	/** The GridFS id (a string) of the rendition of {@code videoId} at {@code scale}. */
	public static String renditionId(String videoId, int scale) {
		return ownedBy(videoId) + scale;
	}

	/**
	 * How the GridFS id of everything the worker stores in {@link #RENDITIONS_BUCKET} for
	 * {@code videoId} begins, so that deleting the video can remove all of it.
	 */
	public static String ownedBy(String videoId) {
		return videoId + "/";
	}

	/**
	 * How the GridFS ids of the segments of the rendition of {@code videoId} at
	 * {@code scale} begin, while it is cut into segments: under {@link #ownedBy}, so they
	 * go with the video. The worker removes them once it has stitched the rendition.
	 */
	public static String segmentsOf(String videoId, int scale) {
		return renditionId(videoId, scale) + "-segment-";
	}

	/** The GridFS id of segment {@code index} of a rendition cut into segments. */
	public static String segmentId(String videoId, int scale, int index) {
		return segmentsOf(videoId, scale) + index;
	}

	/**
	 * The GridFS id of the sound the renditions of {@code videoId} share, when the worker
	 * had to encode it: under {@link #ownedBy}, so it goes with the video.
	 */
	public static String audioId(String videoId) {
		return ownedBy(videoId) + "audio";
	}

	/**
	 * The ending of a rendition's address that names it as an MP4 file:
	 * {@code /v1/videos/{id}/variants/<scale>.mp4} is {@code /variants/<scale>}.
	 */
	public static final String MP4_SUFFIX = ".mp4";

	/**
	 * The segments' URI in the media playlist of the rendition at {@code scale}, relative
	 * to the playlist's address {@code /v1/videos/{id}/hls/<scale>.m3u8}: the rendition's
	 * own file, {@code /v1/videos/{id}/variants/<scale>.mp4}. It ends in {@code .mp4}
	 * because ffmpeg (5.1.9 and later) refuses HLS segments whose URI has no media file
	 * extension.
	 */
	public static String segmentUri(int scale) {
		return "../" + VARIANTS_PATH + "/" + scale + MP4_SUFFIX;
	}

	/** The last path segment of the media playlist of the rendition at {@code scale}. */
	public static String mediaPlaylist(int scale) {
		return scale + ".m3u8";
	}

	/**
	 * The address of a rendition, next to the original's address {@code contentUrl}
	 * (which the API puts in every message): {@code .../content} becomes
	 * {@code .../variants/<scale>}.
	 */
	public static String variantUrl(String contentUrl, int scale) {
		String suffix = "/" + CONTENT_PATH;
		String base = contentUrl.endsWith(suffix) ? contentUrl.substring(0, contentUrl.length() - suffix.length())
				: contentUrl;
		return base + "/" + VARIANTS_PATH + "/" + scale;
	}

	private StoredMedia() {
	}

}
