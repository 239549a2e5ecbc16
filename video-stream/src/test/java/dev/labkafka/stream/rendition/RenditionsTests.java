package dev.labkafka.stream.rendition;

import dev.labkafka.messages.VideoMessage;
import dev.labkafka.stream.deletion.VideoJobs;
import dev.labkafka.stream.media.MediaFailure;
import dev.labkafka.stream.media.MediaTools;
import dev.labkafka.stream.media.VideoGone;
import dev.labkafka.stream.messaging.InvalidVideoMessage;
import dev.labkafka.stream.progress.VideoProgress.RenditionState;
import dev.labkafka.stream.progress.VideoProgress;
import dev.labkafka.stream.segment.SegmentJobs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
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

	final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	final Renditions renditions = new Renditions(this.transcoder, this.progress, new RenditionMetrics(this.meters),
			new VideoJobs(mock(MediaTools.class), this.progress), mock(SegmentJobs.class));

	@Test
	void transcodesThenRecordsTheVariantUnderItsScale() throws Exception {
		VideoMessage rendition = new VideoMessage(ID, "http://api/content", 720);
		given(this.progress.renditionState(ID, 720)).willReturn(RenditionState.TO_DO);
		Transcoder.Variant variant = Transcoder.Variant.at("http://api/content");
		given(this.transcoder.transcode(rendition)).willReturn(variant);
		given(this.progress.recordVariant(ID, 720, variant.url(), variant.rendition())).willReturn(true);

		this.renditions.onRendition(rendition);

		var order = inOrder(this.transcoder, this.progress);
		order.verify(this.transcoder).transcode(rendition);
		order.verify(this.progress).recordVariant(ID, 720, variant.url(), variant.rendition());
		verify(this.transcoder, never()).discard(any());
		assertThat(this.meters.find("videos.renditions").tags("scale", "720", "outcome", "done").timer().count())
			.isEqualTo(1);
	}

	@Test
	void discardsARenditionWhoseVideoWasDeletedWhileItWasMade() throws Exception {
		VideoMessage rendition = new VideoMessage(ID, "http://api/content", 720);
		given(this.progress.renditionState(ID, 720)).willReturn(RenditionState.TO_DO);
		Transcoder.Variant variant = Transcoder.Variant.at("http://api/variants/720");
		given(this.transcoder.transcode(rendition)).willReturn(variant);
		given(this.progress.recordVariant(ID, 720, variant.url(), variant.rendition())).willReturn(false);

		this.renditions.onRendition(rendition);

		verify(this.transcoder).discard(rendition);
	}

	@Test
	void dropsARenditionWhoseProgramsWereStoppedBecauseItsVideoWasDeleted() throws Exception {
		VideoMessage rendition = new VideoMessage(ID, "http://api/content", 720);
		given(this.progress.renditionState(ID, 720)).willReturn(RenditionState.TO_DO);
		given(this.transcoder.transcode(rendition)).willThrow(new VideoGone(ID));

		this.renditions.onRendition(rendition);

		verify(this.transcoder).discard(rendition);
		verify(this.progress, never()).recordVariant(anyString(), anyInt(), anyString(), any());
		assertThat(this.meters.find("videos.renditions").tags("scale", "720", "outcome", "video_gone").timer().count())
			.isEqualTo(1);
	}

	@Test
	void dropsARenditionThatFailedBecauseItsVideoWentAwayAndPassesOnAnyOtherFailure() throws Exception {
		VideoMessage rendition = new VideoMessage(ID, "http://api/content", 720);
		given(this.progress.renditionState(ID, 720)).willReturn(RenditionState.TO_DO);
		given(this.transcoder.transcode(rendition)).willThrow(new MediaFailure("The original's bytes are not stored"));
		given(this.progress.exists(ID)).willReturn(true);

		assertThatExceptionOfType(MediaFailure.class).isThrownBy(() -> this.renditions.onRendition(rendition));
		verify(this.transcoder, never()).discard(any());

		given(this.progress.exists(ID)).willReturn(false);
		this.renditions.onRendition(rendition);
		verify(this.transcoder).discard(rendition);
	}

	@Test
	void doesNotMakeARenditionThatIsDoneAlready() throws Exception {
		given(this.progress.renditionState(ID, 720)).willReturn(RenditionState.DONE);

		this.renditions.onRendition(new VideoMessage(ID, "http://api/content", 720));

		verify(this.transcoder, never()).transcode(any());
		verify(this.progress, never()).recordVariant(anyString(), anyInt(), anyString(), any());
		assertThat(this.meters.find("videos.renditions").tags("scale", "720", "outcome", "already_done").timer())
			.isNotNull();
	}

	@Test
	void dropsARenditionOfAVideoThatIsGone() throws Exception {
		given(this.progress.renditionState(ID, 720)).willReturn(RenditionState.VIDEO_GONE);

		this.renditions.onRendition(new VideoMessage(ID, "http://api/content", 720));

		verify(this.transcoder, never()).transcode(any());
		verify(this.progress, never()).recordVariant(anyString(), anyInt(), anyString(), any());
	}

	@Test
	void rejectsAScaleThatIsNotARenditionAndAnIdThatIsNotAnObjectId() throws Exception {
		assertThatExceptionOfType(InvalidVideoMessage.class)
			.isThrownBy(() -> this.renditions.onRendition(new VideoMessage(ID, "http://api/content", 0)));
		assertThatExceptionOfType(InvalidVideoMessage.class)
			.isThrownBy(() -> this.renditions.onRendition(new VideoMessage(ID, "http://api/content", 999)));
		assertThatExceptionOfType(InvalidVideoMessage.class)
			.isThrownBy(() -> this.renditions.onRendition(new VideoMessage("x", "http://api/content", 720)));

		verify(this.transcoder, never()).transcode(any());
	}

}
