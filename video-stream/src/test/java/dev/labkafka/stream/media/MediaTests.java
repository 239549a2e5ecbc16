package dev.labkafka.stream.media;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import dev.labkafka.stream.StreamSettings;
import dev.labkafka.testsupport.TestClips;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The worker's media programs as its settings configure them.
 */
class MediaTests {

	@TempDir
	Path work;

	@Test
	void videoStreamMediaThreadsBoundsTheThreadsOfEachEncode() throws Exception {
		assumeThat(TestClips.ffmpegInstalled()).as("ffmpeg and ffprobe installed").isTrue();
		// ffmpeg itself, through a script that notes the arguments it is given.
		Path arguments = this.work.resolve("arguments.txt");
		Path noting = TestClips.argumentNotingFfmpeg(this.work, arguments);
		StreamSettings settings = new Binder(new MapConfigurationPropertySource(
				Map.of("video.stream.media.ffmpeg", noting.toString(), "video.stream.media.threads", "3")))
			.bindOrCreate("video.stream", StreamSettings.class);

		new Media().mediaTools(settings)
			.encode(TestClips.make(this.work, 320, 240, 1, false), 120, null, this.work.resolve("out.m3u8"),
					this.work.resolve("out.mp4"), Duration.ofMinutes(1), (seconds) -> {
					});

		assertThat(Files.readString(arguments)).contains("-threads 3 -i ").contains("libx264 -threads 3 ");
	}

}
