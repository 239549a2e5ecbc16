package dev.labkafka.stream.rendition;

import dev.labkafka.messages.VideoMessage;
import dev.labkafka.stream.StreamSettings;

/**
 * The lab's mock transcoder, the default: it takes {@code video.stream.transcode-time} (3
 * s by default) and the rendition is the original's url.
 */
class MockTranscoder implements Transcoder {

	private final StreamSettings settings;

	MockTranscoder(StreamSettings settings) {
		this.settings = settings;
	}

	@Override
	public Variant transcode(VideoMessage rendition) throws InterruptedException {
		Thread.sleep(this.settings.transcodeTime().toMillis());
		return Variant.at(rendition.url());
	}

}
