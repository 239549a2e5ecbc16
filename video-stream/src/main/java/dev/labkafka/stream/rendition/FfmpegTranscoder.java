package dev.labkafka.stream.rendition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import dev.labkafka.messages.VideoMessage;
import dev.labkafka.stream.StreamSettings;
import dev.labkafka.stream.media.MediaFailure;
import dev.labkafka.stream.media.MediaInfo;
import dev.labkafka.stream.media.MediaStore;
import dev.labkafka.stream.media.MediaTools;
import dev.labkafka.stream.media.WorkFiles;
import dev.labkafka.videos.Rendition;
import dev.labkafka.videos.StoredMedia;

/**
 * Real renditions, with {@code video.stream.transcoder=ffmpeg}: each scale is encoded
 * from the original by ffmpeg, that many pixels high, as one fragmented MP4 file (H.264
 * under the scale's cap, keyframes every two seconds, the sound shared by all the
 * renditions: {@link SharedAudio}) that serves both progressive playback, at
 * {@code /v1/videos/{id}/variants/{scale}} (the url recorded in
 * {@code variants.<scale>}), and HLS: its media playlist of byte ranges of that file is
 * stored with it, and the figures a master playlist needs (peak and average bandwidth,
 * codecs, frame rate) are recorded in {@code renditions.<scale>}.
 * <p>
 * Nothing is made bigger than the original: a scale above the original's height is
 * encoded at the original's height, once, by the smallest scale that reaches it; the
 * scales above point to that file ({@code renditions.<scale>.same_as}). A 720p original
 * gets files for 360, 480 and 720, and its 1080 is its 720.
 * <p>
 * ffmpeg runs for at most {@code video.stream.transcode-timeout}. When it fails, runs out
 * of time, or makes a rendition much shorter than the original says it is (a file damaged
 * or cut short), the rendition fails for good ({@link MediaFailure}, not retried) with
 * the tail of ffmpeg's error output, and nothing of it is left: work files are removed
 * whatever happens, and a file is stored only once it is whole.
 */
class FfmpegTranscoder implements Transcoder {

	/**
	 * How long a rendition must be, at least, against the original's stated length:
	 * shorter means ffmpeg stopped at damage in the file.
	 */
	private static final double MIN_LENGTH = 0.9;

	private final MediaTools tools;

	private final WorkFiles work;

	private final MediaStore store;

	private final StreamSettings settings;

	private final RenditionMetrics metrics;

	private final SharedAudio audio;

	FfmpegTranscoder(MediaTools tools, WorkFiles work, MediaStore store, StreamSettings settings,
			RenditionMetrics metrics, SharedAudio audio) {
		this.tools = tools;
		this.work = work;
		this.store = store;
		this.settings = settings;
		this.metrics = metrics;
		this.audio = audio;
	}

	@Override
	public Variant transcode(VideoMessage rendition) throws InterruptedException {
		Path source = this.work.copySource(rendition.id())
			.orElseThrow(() -> new MediaFailure("The original's bytes are not stored"));
		try {
			return transcode(rendition, source);
		}
		catch (MediaFailure ex) {
			throw new MediaFailure(this.work.withoutPaths(ex.getMessage()), ex);
		}
		finally {
			this.work.delete(source);
		}
	}

	private Variant transcode(VideoMessage rendition, Path source) throws InterruptedException {
		Path playlist = null;
		Path media = null;
		Path audio = null;
		try {
			MediaInfo original = this.tools.probe(source);
			int height = height(rendition.scale(), original.height());
			int encodedBy = encodedBy(height, original.height());
			if (encodedBy != rendition.scale()) {
				return new Variant(StoredMedia.variantUrl(rendition.url(), encodedBy), Rendition.sameAs(encodedBy));
			}
			String prefix = rendition.id() + "-" + rendition.scale() + "-";
			audio = this.work.newFile(prefix + "audio-", ".m4a");
			Path sound = this.audio.forRenditions(rendition.id(), source, original, this.settings.transcodeTimeout(),
					audio);
			playlist = this.work.newFile(prefix, ".m3u8");
			media = this.work.newFile(prefix, ".mp4");
			this.tools.encode(source, height, sound, playlist, media, this.settings.transcodeTimeout(),
					(seconds) -> this.metrics.encoded(rendition.scale(), seconds));
			writeDuration(media);
			MediaInfo made = this.tools.probe(media);
			if (made.duration() < original.duration() * MIN_LENGTH) {
				throw new MediaFailure(String.format(Locale.ROOT,
						"The rendition is %.1f s long where the original says %.1f s: the original is damaged or cut short",
						made.duration(), original.duration()));
			}
			MediaPlaylist hls = MediaPlaylist.read(read(playlist)).withUri(StoredMedia.segmentUri(rendition.scale()));
			String codecs = made.codecs();
			if (codecs == null) {
				throw new MediaFailure("ffprobe does not say the rendition's codecs");
			}
			this.store.storeRendition(rendition.id(), rendition.scale(), media, hls.text());
			return new Variant(StoredMedia.variantUrl(rendition.url(), rendition.scale()),
					Rendition.streamed(made.width(), made.height(), made.duration(), hls.bandwidth(),
							hls.averageBandwidth(), codecs, made.frameRate()));
		}
		finally {
			this.work.delete(playlist);
			this.work.delete(media);
			this.work.delete(audio);
		}
	}

	private static void writeDuration(Path media) {
		try {
			FragmentedMp4Duration.write(media);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String read(Path playlist) {
		try {
			return Files.readString(playlist);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void discard(VideoMessage rendition) {
		this.store.deleteAll(rendition.id());
	}

	/**
	 * The height of the rendition at {@code scale}: the scale, or the original's if
	 * lower.
	 */
	static int height(int scale, int originalHeight) {
		return Math.min(scale, MediaTools.even(originalHeight));
	}

	/** The smallest scale whose rendition has {@code height}: the one that encodes it. */
	static int encodedBy(int height, int originalHeight) {
		return VideoMessage.RENDITION_SCALES.stream()
			.filter((scale) -> height(scale, originalHeight) == height)
			.findFirst()
			.orElseThrow();
	}

}
