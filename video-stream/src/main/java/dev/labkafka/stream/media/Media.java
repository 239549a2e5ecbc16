package dev.labkafka.stream.media;

import dev.labkafka.stream.StreamSettings;

import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The worker's media: the programs, as {@code video.stream.media} says where they are and
 * how many threads an encode may use, and its scratch files. The programs are stopped
 * first when the worker stops.
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

	/**
	 * Stops ffmpeg and ffprobe first when the worker stops, before the listener
	 * containers wait for their consumers: a job cut short is interrupted, not failed,
	 * and its message is delivered again.
	 */
	@Bean
	SmartLifecycle mediaProcessesStopFirst(MediaTools tools) {
		return new StopFirst(tools);
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
