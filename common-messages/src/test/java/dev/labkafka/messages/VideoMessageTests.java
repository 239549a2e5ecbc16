package dev.labkafka.messages;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class VideoMessageTests {

	@Test
	void anUploadIsTheOriginalScale() {
		VideoMessage uploaded = VideoMessage.uploaded("65a1b2c3d4e5f6a7b8c9d0e1", "http://host/v1/videos/x/content");
		assertThat(uploaded.scale()).isZero();
		assertThat(uploaded.original()).isTrue();
		assertThat(uploaded.withScale(360).original()).isFalse();
	}

	@Test
	void fansOutToFourRenditionsWithTheSameIdAndUrl() {
		VideoMessage uploaded = VideoMessage.uploaded("65a1b2c3d4e5f6a7b8c9d0e1", "http://host/content");
		assertThat(uploaded.renditions()).containsExactly(
				new VideoMessage("65a1b2c3d4e5f6a7b8c9d0e1", "http://host/content", 360),
				new VideoMessage("65a1b2c3d4e5f6a7b8c9d0e1", "http://host/content", 480),
				new VideoMessage("65a1b2c3d4e5f6a7b8c9d0e1", "http://host/content", 720),
				new VideoMessage("65a1b2c3d4e5f6a7b8c9d0e1", "http://host/content", 1080));
	}

	@Test
	void requiresAnIdAndAUrl() {
		assertThatNullPointerException().isThrownBy(() -> new VideoMessage(null, "u", 0));
		assertThatNullPointerException().isThrownBy(() -> new VideoMessage("i", null, 0));
	}

}
