package dev.labkafka.stream.packaging;

import dev.labkafka.stream.media.MediaFailure;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class MediaPlaylistTests {

	static final String WRITTEN = """
			#EXTM3U
			#EXT-X-VERSION:7
			#EXT-X-TARGETDURATION:2
			#EXT-X-MEDIA-SEQUENCE:0
			#EXT-X-PLAYLIST-TYPE:VOD
			#EXT-X-MAP:URI="abc-360-123.mp4",BYTERANGE="1353@0"
			#EXTINF:2.000000,
			#EXT-X-BYTERANGE:100000@1353
			abc-360-123.mp4
			#EXTINF:2.000000,
			#EXT-X-BYTERANGE:300000@101353
			abc-360-123.mp4
			#EXTINF:0.500000,
			#EXT-X-BYTERANGE:150000@401353
			abc-360-123.mp4
			#EXT-X-ENDLIST
			""";

	@Test
	void pointsEverySegmentAndTheInitSegmentAtTheGivenUri() {
		String rewritten = MediaPlaylist.read(WRITTEN).withUri("../variants/360").text();

		assertThat(rewritten).doesNotContain("abc-360-123.mp4")
			.contains("#EXT-X-MAP:URI=\"../variants/360\",BYTERANGE=\"1353@0\"\n")
			.contains("#EXT-X-BYTERANGE:300000@101353\n../variants/360\n")
			.endsWith("#EXT-X-ENDLIST\n");
		assertThat(rewritten.lines().filter("../variants/360"::equals)).hasSize(3);
	}

	@Test
	void averageBandwidthIsEverySegmentsBitsOverTheirDuration() {
		assertThat(MediaPlaylist.read(WRITTEN).averageBandwidth()).isEqualTo(977_778);
	}

	@Test
	void bandwidthIsThePeakOfRunsOfHalfToOneAndAHalfTargetDurations() {
		// The second segment alone is 1.2 Mbit/s. The last, 0.5 s, is under half the
		// target
		// (2 s): alone (2.4 Mbit/s) it does not count, but with the one before it does:
		// (300000 + 150000) * 8 / 2.5 s = 1.44 Mbit/s.
		assertThat(MediaPlaylist.read(WRITTEN).bandwidth()).isEqualTo(1_440_000);
	}

	@Test
	void aPlaylistWithoutByteRangesIsRefused() {
		assertThatExceptionOfType(MediaFailure.class)
			.isThrownBy(() -> MediaPlaylist.read("#EXTM3U\n#EXTINF:2.0,\nsegment0.m4s\n"))
			.withMessageContaining("segment0.m4s");
		assertThatExceptionOfType(MediaFailure.class).isThrownBy(() -> MediaPlaylist.read("#EXTM3U\n"));
	}

}
