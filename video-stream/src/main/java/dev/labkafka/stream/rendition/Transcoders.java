package dev.labkafka.stream.rendition;

import dev.labkafka.stream.StreamSettings;
import dev.labkafka.stream.StreamSettings.TranscoderKind;
import dev.labkafka.stream.media.MediaStore;
import dev.labkafka.stream.media.MediaTools;
import dev.labkafka.stream.media.WorkFiles;
import dev.labkafka.stream.originals.OriginalReads;
import dev.labkafka.stream.packaging.Packaging;
import dev.labkafka.stream.segment.SegmentJobs;
import dev.labkafka.stream.segment.SharedAudio;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The transcoder that {@code video.stream.transcoder} chose. The ffmpeg transcoder needs
 * ffmpeg: without it the worker does not start, rather than fail every rendition.
 */
@Configuration(proxyBeanMethods = false)
class Transcoders {

	@Bean
	Transcoder transcoder(StreamSettings settings, MediaTools tools, WorkFiles work, MediaStore store,
			RenditionMetrics metrics, SharedAudio audio, Packaging packaging, SegmentJobs segments,
			OriginalReads reads) {
		if (settings.transcoder() == TranscoderKind.MOCK) {
			return new MockTranscoder(settings);
		}
		if (!tools.ffmpegAvailable()) {
			throw new IllegalStateException("video.stream.transcoder is ffmpeg, but '" + settings.media().ffmpeg()
					+ "' cannot be run: install ffmpeg, or set video.stream.media.ffmpeg to its path");
		}
		return new FfmpegTranscoder(tools, work, store, settings, metrics, audio, packaging, segments, reads);
	}

}
