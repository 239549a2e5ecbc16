package dev.labkafka.api.streaming;

import java.util.List;
import java.util.Locale;

import dev.labkafka.api.catalog.StreamedRenditions.Level;
import dev.labkafka.videos.Rendition;
import dev.labkafka.videos.StoredMedia;

/**
 * The text of a video's HLS master playlist (RFC 8216, section 4.3.4.2): one
 * {@code EXT-X-STREAM-INF} per level, the lowest bit rate first, each naming its media
 * playlist relative to the master's own address. Version 7: the media playlists use
 * {@code EXT-X-MAP} with byte ranges of fragmented MP4 files. Every level's segments
 * start on a keyframe at the same times, so they are {@code EXT-X-INDEPENDENT-SEGMENTS}.
 */
final class MasterPlaylist {

	static final int VERSION = 7;

	private MasterPlaylist() {
	}

	static String of(List<Level> levels) {
		StringBuilder text = new StringBuilder(
				"#EXTM3U\n#EXT-X-VERSION:" + VERSION + "\n#EXT-X-INDEPENDENT-SEGMENTS\n");
		for (Level level : levels) {
			Rendition rendition = level.rendition();
			text.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(level.bandwidth());
			if (rendition.averageBandwidth() != null) {
				text.append(",AVERAGE-BANDWIDTH=").append(rendition.averageBandwidth());
			}
			if (rendition.width() != null && rendition.height() != null) {
				text.append(",RESOLUTION=").append(rendition.width()).append('x').append(rendition.height());
			}
			text.append(",CODECS=\"").append(rendition.codecs()).append('"');
			if (rendition.frameRate() != null) {
				text.append(",FRAME-RATE=").append(String.format(Locale.ROOT, "%.3f", rendition.frameRate()));
			}
			text.append('\n').append(StoredMedia.mediaPlaylist(level.scale())).append('\n');
		}
		return text.toString();
	}

}
