package dev.labkafka.stream.rendition;

import java.time.Duration;

import dev.labkafka.messages.VideoMessage;
import org.junit.jupiter.api.Test;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

class RenditionsTests {

	static final String ID = "65a1b2c3d4e5f6a7b8c9d0e1";

	final Transcoder transcoder = mock(Transcoder.class);

	final VideoProgress progress = mock(VideoProgress.class);

	final Renditions renditions = new Renditions(this.transcoder, this.progress,
			new StreamSettings(Duration.ofSeconds(3), 4, 1, Duration.ofSeconds(1), 6, 24));

	@Test
	void transcodesThenRecordsTheVariantUnderItsScale() throws Exception {
		VideoMessage rendition = new VideoMessage(ID, "http://api/content", 720);
		given(this.transcoder.transcode(rendition)).willReturn("http://api/content");

		this.renditions.onRendition(rendition);

		var order = inOrder(this.transcoder, this.progress);
		order.verify(this.transcoder).transcode(rendition);
		order.verify(this.progress).recordVariant(ID, 720, "http://api/content");
	}

	@Test
	void ignoresAScaleThatIsNotARendition() throws Exception {
		this.renditions.onRendition(new VideoMessage(ID, "http://api/content", 0));
		this.renditions.onRendition(new VideoMessage(ID, "http://api/content", 999));

		verify(this.transcoder, never()).transcode(any());
		verify(this.progress, never()).recordVariant(anyString(), anyInt(), anyString());
	}

}
