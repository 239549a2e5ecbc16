package dev.labkafka.stream.rendition;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class VideoProgressTests {

	@Test
	void aVideoIsCompleteOnlyWithAllFourVariants() {
		assertThat(VideoProgress.isComplete(Map.of())).isFalse();
		assertThat(VideoProgress.isComplete(Map.of("360", "u", "480", "u", "720", "u"))).isFalse();
		assertThat(VideoProgress.isComplete(Map.of("360", "u", "480", "u", "720", "u", "1080", "u"))).isTrue();
	}

	@Test
	void unknownKeysDoNotCountTowardsCompletion() {
		assertThat(VideoProgress.isComplete(Map.of("360", "u", "480", "u", "720", "u", "2160", "u"))).isFalse();
	}

}
