package dev.labkafka.stream;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The segment settings as a user sets them ({@code video.stream.segments.*}), bound the
 * way Boot binds them at startup: a length off the renditions' 2 s keyframe grid, or
 * longer than a part can be, or a negative threshold, stops the worker with a message
 * that names the setting.
 */
class SegmentSettingsTests {

	@ParameterizedTest
	@CsvSource({ "length, 3s, must be a multiple of 2 s", "length, 0s, must be a multiple of 2 s",
			"length, 1s, must be a multiple of 2 s", "length, 3602s, must be at most PT1H",
			"threshold, -1s, must not be negative" })
	void refusesASettingNoPlanCanHold(String key, String value, String message) {
		assertThatExceptionOfType(BindException.class).isThrownBy(() -> bind(Map.of(key, value)))
			.havingRootCause()
			.withMessageContaining("video.stream.segments." + key)
			.withMessageContaining(message);
	}

	@ParameterizedTest
	@CsvSource({ "2s", "10s", "3600s" })
	void takesALengthOnTheGridUpToAnHour(String length) {
		assertThat(bind(Map.of("length", length)).segments().length())
			.isEqualTo(Duration.parse("PT" + length.toUpperCase()));
	}

	private static StreamSettings bind(Map<String, String> segments) {
		Map<String, String> properties = new HashMap<>();
		segments.forEach((key, value) -> properties.put("video.stream.segments." + key, value));
		return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("video.stream",
				StreamSettings.class);
	}

}
