package dev.labkafka.stream.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import dev.labkafka.stream.media.MediaFailure;
import dev.labkafka.stream.media.MediaInfo;
import dev.labkafka.stream.media.MediaStore;
import dev.labkafka.stream.media.MediaTools;
import dev.labkafka.videos.Rendition;
import dev.labkafka.videos.StoredMedia;

import org.springframework.stereotype.Component;

/**
 * The last step of making a rendition, after ffmpeg wrote its fragmented MP4 and media
 * playlist (a whole encode, or segments stitched): the file's header gets its real
 * length, the file is checked against the original, and it is stored with its playlist,
 * whose URIs become the one the API serves the file at. A rendition much shorter than the
 * original says it is (a file damaged or cut short) fails for good
 * ({@link MediaFailure}).
 */
@Component
public class Packaging {

	/**
	 * How long a rendition must be, at least, against the original's stated length:
	 * shorter means ffmpeg stopped at damage in the file.
	 */
	private static final double MIN_LENGTH = 0.9;

	private final MediaTools tools;

	private final MediaStore store;

	public Packaging(MediaTools tools, MediaStore store) {
		this.tools = tools;
		this.store = store;
	}

	/**
	 * Checks and stores the rendition at {@code scale} that ffmpeg wrote into
	 * {@code media} and {@code playlist}.
	 * @param originalSeconds the original's length, as ffprobe says
	 * @return what the rendition is, for the video's {@code renditions.<scale>}
	 * @throws MediaFailure when it is too short, or its codecs cannot be told
	 */
	public Rendition store(String videoId, int scale, Path playlist, Path media, double originalSeconds)
			throws InterruptedException {
		try {
			FragmentedMp4Duration.write(media);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		MediaInfo made = this.tools.probe(media);
		if (made.duration() < originalSeconds * MIN_LENGTH) {
			throw new MediaFailure(String.format(Locale.ROOT,
					"The rendition is %.1f s long where the original says %.1f s: the original is damaged or cut short",
					made.duration(), originalSeconds));
		}
		MediaPlaylist hls = MediaPlaylist.read(read(playlist)).withUri(StoredMedia.segmentUri(scale));
		String codecs = made.codecs();
		if (codecs == null) {
			throw new MediaFailure("ffprobe does not say the rendition's codecs");
		}
		this.store.storeRendition(videoId, scale, media, hls.text());
		return Rendition.streamed(made.width(), made.height(), made.duration(), hls.bandwidth(), hls.averageBandwidth(),
				codecs, made.frameRate());
	}

	private static String read(Path playlist) {
		try {
			return Files.readString(playlist);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
