package dev.labkafka.stream.rendition;

import dev.labkafka.messages.VideoMessage;

import org.springframework.stereotype.Component;

/**
 * The lab's mock transcoder: it takes {@code video.stream.transcode-time} (3 s by
 * default) and the rendition is the original's url.
 */
@Component
class MockTranscoder implements Transcoder {

	private final StreamSettings settings;

	MockTranscoder(StreamSettings settings) {
		this.settings = settings;
	}

	@Override
	public String transcode(VideoMessage rendition) throws InterruptedException {
		Thread.sleep(this.settings.transcodeTime().toMillis());
		return rendition.url();
	}

}
