package dev.labkafka.stream.progress;

import java.util.Map;

import dev.labkafka.messages.ProgressMessage;
import dev.labkafka.stream.media.MediaTools;
import dev.labkafka.stream.progress.VideoProgress.RenditionState;
import dev.labkafka.videos.QueuedRecord;
import dev.labkafka.videos.Rendition;
import dev.labkafka.videos.Video;
import dev.labkafka.videos.VideoStatus;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

/**
 * What the API is told of each change of a video: a change that the repository says it
 * made, told once it is made, and nothing for a change that did not happen. The
 * repository and the messages are mocked; {@link VideosTests} has the documents, and
 * {@code StreamIntegrationTests} the messages on the progress topic.
 */
class VideoProgressTests {

	static final String ID = "65a1b2c3d4e5f6a7b8c9d0e1";

	final Videos videos = mock(Videos.class);

	final ProgressEvents events = mock(ProgressEvents.class);

	final MediaTools tools = mock(MediaTools.class);

	final VideoProgress progress = new VideoProgress(this.videos, this.events, this.tools);

	@Test
	void aClaimedFanOutIsToldAndAsksForTheMissingScalesInOrder() {
		given(this.videos.claimFanOut(ID, "videos-0@1")).willReturn(video(Map.of("1080", "u", "480", "u")));

		assertThat(this.progress.claimFanOut(ID, "videos-0@1")).containsExactly(360, 720);

		var order = inOrder(this.videos, this.events);
		order.verify(this.videos).claimFanOut(ID, "videos-0@1");
		order.verify(this.events).publish(ProgressMessage.status(ID));
	}

	@Test
	void aClaimThatFailedIsNotTold() {
		assertThat(this.progress.claimFanOut(ID, "videos-0@1")).isNull();

		verifyNoInteractions(this.events);
	}

	@Test
	void aRenditionIsToldAndTheLastOneCompletesTheVideo() {
		Rendition rendition = Rendition.encoded(640, 360, 2);
		given(this.videos.recordVariant(ID, 360, "u", rendition)).willReturn(video(Map.of("360", "u")));
		given(this.videos.recordVariant(ID, 1080, "u", null))
			.willReturn(video(Map.of("360", "u", "480", "u", "720", "u", "1080", "u")));
		given(this.videos.completeIfDone(ID, false)).willReturn(true);

		assertThat(this.progress.recordVariant(ID, 360, "u", rendition)).isTrue();
		verify(this.videos, never()).completeIfDone(ID, false);
		assertThat(this.progress.recordVariant(ID, 1080, "u", null)).isTrue();

		var order = inOrder(this.videos, this.events);
		order.verify(this.events).publish(ProgressMessage.rendition(ID, 360));
		order.verify(this.events).publish(ProgressMessage.rendition(ID, 1080));
		order.verify(this.videos).completeIfDone(ID, false);
		order.verify(this.events).publish(ProgressMessage.status(ID));
	}

	@Test
	void aCompletionThatChangedNothingIsNotTold() {
		given(this.videos.recordVariant(ID, 1080, "u", null))
			.willReturn(video(Map.of("360", "u", "480", "u", "720", "u", "1080", "u")));

		this.progress.recordVariant(ID, 1080, "u", null);
		this.progress.completeIfDone(ID);

		verify(this.events).publish(ProgressMessage.rendition(ID, 1080));
		verify(this.events, never()).publish(ProgressMessage.status(ID));
	}

	@Test
	void aRenditionOfAVideoThatIsGoneIsNotTold() {
		assertThat(this.progress.recordVariant(ID, 360, "u", null)).isFalse();

		verifyNoInteractions(this.events);
	}

	@Test
	void whatTheProbeFoundIsToldWhileTheVideoExistsAndMayCompleteIt() {
		given(this.tools.probeAvailable()).willReturn(true);
		given(this.videos.recordMedia(ID, 640, 480, 2.5, true)).willReturn(true);
		given(this.videos.completeIfDone(ID, true)).willReturn(true);

		assertThat(this.progress.recordMedia(ID, 640, 480, 2.5, true)).isTrue();
		assertThat(this.progress.recordMedia(ID, 640, 480, 2.5, false)).as("gone meanwhile").isFalse();

		var order = inOrder(this.videos, this.events);
		order.verify(this.events).publish(ProgressMessage.media(ID));
		order.verify(this.videos).completeIfDone(ID, true);
		order.verify(this.events).publish(ProgressMessage.status(ID));
		verify(this.videos, times(1)).completeIfDone(ID, true);
	}

	@Test
	void aFailureIsToldOnlyWhenItChangedTheStatus() {
		given(this.videos.markNotMedia(ID, "not media")).willReturn(true);

		this.progress.markFailed(ID, "done already");
		verifyNoInteractions(this.events);
		this.progress.markNotMedia(ID, "not media");

		verify(this.events).publish(ProgressMessage.status(ID));
	}

	@Test
	void whereMessagesAreIsNotTold() {
		this.progress.queued(ID, "videos-0@1", Map.of(360, new QueuedRecord("video-renditions", 1, 2)));
		this.progress.requeued(ID, 360, new QueuedRecord("video-renditions-retry-0", 1, 2));

		verify(this.videos).requeued(any(), any(Integer.class), any());
		verifyNoInteractions(this.events);
	}

	@Test
	void aRenditionsStateIsReadFromTheVariants() {
		String gone = new ObjectId().toHexString();
		given(this.videos.variants(ID)).willReturn(Map.of("480", "u"));
		given(this.videos.variants(gone)).willReturn(null);

		assertThat(this.progress.renditionState(ID, 480)).isEqualTo(RenditionState.DONE);
		assertThat(this.progress.renditionState(ID, 720)).isEqualTo(RenditionState.TO_DO);
		assertThat(this.progress.renditionState(gone, 720)).isEqualTo(RenditionState.VIDEO_GONE);
	}

	private static Video video(Map<String, String> variants) {
		return new Video(new ObjectId(ID), 0, 0, 1L, 0.0, "u", VideoStatus.ENCODING, variants, null, null, null, null,
				null, null, null, "videos-0@1", null, null, null, null, null, null, null);
	}

}
