package dev.labkafka.stream.rendition;

import dev.labkafka.stream.media.MediaTools;
import dev.labkafka.stream.rendition.StreamSettings.TranscoderKind;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The worker's media: the programs, its scratch files, the transcoder that
 * {@code video.stream.transcoder} chose, and the probe. The ffmpeg transcoder needs
 * ffmpeg: without it the worker does not start, rather than fail every rendition.
 */
@Configuration(proxyBeanMethods = false)
class Media {

	@Bean
	MediaTools mediaTools(StreamSettings settings) {
		return new MediaTools(settings.media().ffmpeg(), settings.media().ffprobe());
	}

	@Bean
	WorkFiles workFiles(StreamSettings settings, SourceVideos sources) {
		return new WorkFiles(settings.media().workDirectory(), sources);
	}

	@Bean
	Transcoder transcoder(StreamSettings settings, MediaTools tools, WorkFiles work, MediaStore store,
			StreamMetrics metrics) {
		if (settings.transcoder() == TranscoderKind.MOCK) {
			return new MockTranscoder(settings);
		}
		if (!tools.ffmpegAvailable()) {
			throw new IllegalStateException("video.stream.transcoder is ffmpeg, but '" + settings.media().ffmpeg()
					+ "' cannot be run: install ffmpeg, or set video.stream.media.ffmpeg to its path");
		}
		return new FfmpegTranscoder(tools, work, store, settings, metrics);
	}

	@Bean
	Probe probe(MediaTools tools, WorkFiles work, MediaStore store, VideoProgress progress, StreamMetrics metrics) {
		return new Probe(tools, work, store, progress, metrics);
	}

}
