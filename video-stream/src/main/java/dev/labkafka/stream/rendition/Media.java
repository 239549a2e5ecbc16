package dev.labkafka.stream.rendition;

import dev.labkafka.stream.media.MediaTools;
import dev.labkafka.stream.rendition.StreamSettings.TranscoderKind;

import org.springframework.context.SmartLifecycle;
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
		Integer threads = settings.media().threads();
		return new MediaTools(settings.media().ffmpeg(), settings.media().ffprobe(), (threads != null) ? threads : 0);
	}

	@Bean
	WorkFiles workFiles(StreamSettings settings, SourceVideos sources) {
		return new WorkFiles(settings.media().workDirectory(), sources);
	}

	@Bean
	Transcoder transcoder(StreamSettings settings, MediaTools tools, WorkFiles work, MediaStore store,
			RenditionMetrics metrics) {
		if (settings.transcoder() == TranscoderKind.MOCK) {
			return new MockTranscoder(settings);
		}
		if (!tools.ffmpegAvailable()) {
			throw new IllegalStateException("video.stream.transcoder is ffmpeg, but '" + settings.media().ffmpeg()
					+ "' cannot be run: install ffmpeg, or set video.stream.media.ffmpeg to its path");
		}
		return new FfmpegTranscoder(tools, work, store, settings, metrics);
	}

	/**
	 * Stops ffmpeg and ffprobe first when the worker stops, before the listener
	 * containers wait for their consumers: a job cut short is interrupted, not failed,
	 * and its message is delivered again.
	 */
	@Bean
	SmartLifecycle mediaProcessesStopFirst(MediaTools tools) {
		return new StopFirst(tools);
	}

	@Bean
	Probe probe(MediaTools tools, WorkFiles work, MediaStore store, VideoProgress progress, ProbeMetrics metrics) {
		return new Probe(tools, work, store, progress, metrics);
	}

	private static final class StopFirst implements SmartLifecycle {

		private final MediaTools tools;

		private volatile boolean running;

		StopFirst(MediaTools tools) {
			this.tools = tools;
		}

		@Override
		public void start() {
			this.running = true;
		}

		@Override
		public void stop() {
			this.tools.stopAll();
			this.running = false;
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		/** Above the listener containers' phase: stopped before them. */
		@Override
		public int getPhase() {
			return Integer.MAX_VALUE;
		}

	}

}
