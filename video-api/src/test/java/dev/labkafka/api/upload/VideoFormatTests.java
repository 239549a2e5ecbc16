package dev.labkafka.api.upload;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import dev.labkafka.testsupport.SampleVideos;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class VideoFormatTests {

	@Test
	void recognisesARealMp4() {
		assertThat(VideoFormat.detect(SampleVideos.mp4())).contains(VideoFormat.MP4);
	}

	@Test
	void recognisesOtherContainersByTheirSignatures() {
		assertThat(VideoFormat.detect(bytes(0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x82, 0x84, 'w', 'e', 'b', 'm')))
			.contains(VideoFormat.WEBM);
		assertThat(VideoFormat.detect(bytes(0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x82, 0x88, 'm', 'a', 't', 'r')))
			.contains(VideoFormat.MATROSKA);
		assertThat(VideoFormat.detect("RIFF\0\0\0\0AVI LIST".getBytes(StandardCharsets.ISO_8859_1)))
			.contains(VideoFormat.AVI);
		assertThat(VideoFormat.detect("\0\0\0\u0014ftypqt  \0\0\0\0".getBytes(StandardCharsets.ISO_8859_1)))
			.contains(VideoFormat.QUICKTIME);
		assertThat(VideoFormat.detect(bytes(0x00, 0x00, 0x01, 0xBA, 0x44))).contains(VideoFormat.MPEG_PS);
		assertThat(VideoFormat.detect(bytes('F', 'L', 'V', 0x01, 0x05))).contains(VideoFormat.FLV);
		byte[] transportStream = new byte[3 * 188];
		for (int i = 0; i < 3; i++) {
			transportStream[i * 188] = 0x47;
		}
		assertThat(VideoFormat.detect(transportStream)).contains(VideoFormat.MPEG_TS);
	}

	@Test
	void rejectsWhatIsNotAVideo() {
		assertThat(VideoFormat.detect("just some text, not a video at all".getBytes(StandardCharsets.UTF_8))).isEmpty();
		assertThat(VideoFormat.detect(bytes(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D))).isEmpty();
		assertThat(VideoFormat.detect(new byte[0])).isEmpty();
		assertThat(VideoFormat.detect(bytes(0x47))).isEmpty();
	}

	@Test
	void sniffingLeavesTheStreamWhereItWas() throws IOException {
		byte[] video = SampleVideos.mp4();
		BufferedInputStream in = new BufferedInputStream(new ByteArrayInputStream(video));
		assertThat(VideoFormat.sniff(in)).contains(VideoFormat.MP4);
		assertThat(in.readAllBytes()).isEqualTo(video);
	}

	private static byte[] bytes(int... values) {
		byte[] bytes = new byte[values.length];
		Arrays.setAll(new int[values.length], (i) -> bytes[i] = (byte) values[i]);
		return bytes;
	}

}
