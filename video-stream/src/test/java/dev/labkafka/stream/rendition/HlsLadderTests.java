package dev.labkafka.stream.rendition;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.labkafka.stream.media.Ladder;
import dev.labkafka.stream.packaging.MediaPlaylist;
import dev.labkafka.stream.media.MediaInfo;
import dev.labkafka.stream.media.MediaProcess;
import dev.labkafka.stream.media.MediaTools;
import dev.labkafka.testsupport.TestClips;
import dev.labkafka.videos.StoredMedia;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The HLS ladder as the ffmpeg transcoder makes it, checked with ffmpeg and ffprobe: two
 * renditions of one source with hard cuts (where x264 would put keyframes of its own),
 * noise (more bits than the caps allow) and MP3 sound (which the renditions do not copy
 * as it is). Skipped where ffmpeg is not installed.
 */
class HlsLadderTests {

	static final double SECONDS = 9;

	@TempDir
	static Path work;

	static final MediaTools tools = new MediaTools("ffmpeg", "ffprobe");

	static final Map<Integer, Path> media = new java.util.HashMap<>();

	static final Map<Integer, MediaPlaylist> playlists = new java.util.HashMap<>();

	static Path audio;

	@BeforeAll
	static void ladder() throws Exception {
		assumeThat(TestClips.ffmpegInstalled()).as("ffmpeg and ffprobe installed").isTrue();
		Path source = work.resolve("cuts.mkv");
		// Full-frame white cuts at 1.3, 3.1, 4.7 and 5.5 s over noise.
		run("ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
				"testsrc2=d=" + SECONDS + ":s=1280x720:r=25,noise=alls=40:allf=t,"
						+ "drawbox=x=0:y=0:w=iw:h=ih:color=white:t=fill:enable='between(t,1.3,3.1)+between(t,4.7,5.5)'",
				"-f", "lavfi", "-i", "sine=frequency=300:d=" + SECONDS, "-c:v", "libx264", "-preset", "ultrafast",
				"-qp", "10", "-c:a", "libmp3lame", source.toString());
		MediaInfo original = tools.probe(source);
		assertThat(original.audioCopyable()).isFalse();
		audio = work.resolve("audio.m4a");
		tools.encodeAudio(source, audio, Duration.ofMinutes(1), (seconds) -> {
		});
		for (int height : List.of(360, 720)) {
			Path playlist = work.resolve(height + ".m3u8");
			media.put(height, work.resolve(height + ".mp4"));
			tools.encode(source, height, audio, playlist, media.get(height), Duration.ofMinutes(2), (seconds) -> {
			});
			playlists.put(height, MediaPlaylist.read(Files.readString(playlist)));
		}
	}

	@Test
	void keyframesAreEveryTwoSecondsAtTheSameTimesInEveryRendition() throws Exception {
		List<Double> low = keyframes(media.get(360));
		List<Double> high = keyframes(media.get(720));

		assertThat(low).as("no keyframe at the cuts").hasSize(5).isEqualTo(high);
		for (int i = 1; i < low.size(); i++) {
			assertThat(low.get(i) - low.get(i - 1)).isCloseTo(2, within(0.001));
		}
	}

	@Test
	void eachPlaylistHasTwoSecondByteRangeSegmentsOfItsOneFile() {
		for (MediaPlaylist playlist : playlists.values()) {
			assertThat(playlist.text()).contains("#EXT-X-TARGETDURATION:2\n", "#EXT-X-PLAYLIST-TYPE:VOD\n",
					"#EXT-X-MAP:URI=", "#EXT-X-ENDLIST");
			assertThat(playlist.segments()).hasSize(5);
			assertThat(playlist.segments().subList(0, 4))
				.allSatisfy((segment) -> assertThat(segment.seconds()).isCloseTo(2, within(0.01)));
			assertThat(playlist.seconds()).isCloseTo(SECONDS, within(0.05));
		}
	}

	@Test
	void theAverageBitRateStaysUnderTheScalesCap() throws Exception {
		long audioBits = Files.size(audio) * 8;
		for (int height : List.of(360, 720)) {
			long cap = Ladder.capKbps(height) * 1000L;
			// At most the cap over the whole clip and the encoder's buffer of twice the
			// cap, 90% full at the start (x264's vbv-init), with the sound on top.
			double bound = (cap * SECONDS + 0.9 * 2 * cap + audioBits) / SECONDS;
			MediaPlaylist playlist = playlists.get(height);
			assertThat(playlist.averageBandwidth()).as("average at %d", height).isLessThan((long) (bound * 1.03));
			assertThat(playlist.bandwidth()).as("peak at %d", height)
				.isGreaterThanOrEqualTo(playlist.averageBandwidth())
				.isLessThan((long) (2.2 * cap + audioBits / SECONDS));
		}
	}

	@Test
	void everyRenditionHasTheSameSoundBitForBit() throws Exception {
		assertThat(soundDigest(media.get(360))).isEqualTo(soundDigest(media.get(720))).isEqualTo(soundDigest(audio));
	}

	@Test
	void theFileReadFromItsStartIsTheWholeVideo() throws Exception {
		MediaInfo made = tools.probe(media.get(720));
		assertThat(made.duration()).isCloseTo(SECONDS, within(0.1));
		assertThat(made.codecs()).isEqualTo("avc1.64001f,mp4a.40.2");
		assertThat(made.frameRate()).isEqualTo(25);
	}

	@Test
	void ffmpegCopiesTheWholeVideoOutOfTheStoredPlaylist() throws Exception {
		// As the API serves them: the playlist at hls/360.m3u8, the file at
		// variants/360.mp4.
		Files.createDirectories(work.resolve("served/hls"));
		Files.createDirectories(work.resolve("served/variants"));
		Files.copy(media.get(360), work.resolve("served/variants/360.mp4"));
		Path playlist = work.resolve("served/hls").resolve(StoredMedia.mediaPlaylist(360));
		Files.writeString(playlist, playlists.get(360).withUri(StoredMedia.segmentUri(360)).text());
		Path copy = work.resolve("copy.mp4");

		// As any user runs it: no option to let ffmpeg read segments without a media
		// file extension.
		run("ffmpeg", "-nostdin", "-v", "error", "-y", "-i", playlist.toString(), "-c", "copy", copy.toString());

		assertThat(TestClips.probe(copy.toString()).duration()).isCloseTo(SECONDS, within(0.1));
	}

	private static List<Double> keyframes(Path file) throws InterruptedException {
		List<Double> times = new ArrayList<>();
		for (String line : run("ffprobe", "-v", "error", "-select_streams", "v:0", "-skip_frame", "nokey",
				"-show_entries", "frame=pts_time", "-of", "csv=p=0", file.toString())
			.split("\\R")) {
			if (!line.isBlank()) {
				times.add(Double.valueOf(line.replace(",", "").strip()));
			}
		}
		return times;
	}

	private static String soundDigest(Path file) throws InterruptedException {
		return run("ffmpeg", "-nostdin", "-v", "error", "-i", file.toString(), "-map", "0:a", "-c", "copy", "-f", "md5",
				"-");
	}

	private static String run(String... command) throws InterruptedException {
		return MediaProcess.run(List.of(command), Duration.ofMinutes(2), null);
	}

}
