package dev.labkafka.stream.probe;

import java.nio.file.Path;
import java.util.Optional;

import dev.labkafka.messages.VideoMessage;
import dev.labkafka.stream.deletion.VideoJobs;
import dev.labkafka.stream.media.MediaInfo;
import dev.labkafka.stream.media.MediaStore;
import dev.labkafka.stream.media.MediaTools;
import dev.labkafka.stream.media.VideoGone;
import dev.labkafka.stream.media.WorkFiles;
import dev.labkafka.stream.progress.VideoProgress;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyDouble;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

/**
 * The probe of a video deleted while it is probed: dropped, with its poster frame.
 */
class ProbeTests {

	static final String ID = "65a1b2c3d4e5f6a7b8c9d0e1";

	final MediaTools tools = mock(MediaTools.class);

	final WorkFiles work = mock(WorkFiles.class);

	final MediaStore store = mock(MediaStore.class);

	final VideoProgress progress = mock(VideoProgress.class);

	final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	final Probe probe = new Probe(this.tools, this.work, this.store, this.progress, new ProbeMetrics(this.meters),
			new VideoJobs(this.tools, this.progress));

	final Path source = Path.of("source.bin");

	@BeforeEach
	void anUploadToProbe() throws Exception {
		given(this.tools.probeAvailable()).willReturn(true);
		given(this.work.copySource(ID)).willReturn(Optional.of(this.source));
		given(this.work.newFile(anyString(), anyString())).willReturn(Path.of("poster.jpg"));
		given(this.tools.probe(this.source)).willReturn(new MediaInfo(1920, 1080, 60, false, "h264", null, 0, 30));
		given(this.progress.recordMedia(anyString(), anyInt(), anyInt(), anyDouble(), anyBoolean())).willReturn(true);
	}

	@Test
	void dropsAVideoWhosePosterFrameWasStoppedBecauseItWasDeleted() throws Exception {
		willThrow(new VideoGone(ID)).given(this.tools).thumbnail(any(), any(), any());

		this.probe.onUpload(new VideoMessage(ID, "http://api/content", 0));

		verify(this.store).deleteThumbnail(ID);
		verify(this.store, never()).storeThumbnail(anyString(), any());
		verify(this.work).delete(this.source);
		assertThat(this.meters.counter("videos.probes", "outcome", "video_gone").count()).isOne();
	}

	@Test
	void dropsAVideoWhoseProbeWasStoppedBecauseItWasDeleted() throws Exception {
		given(this.tools.probe(this.source)).willThrow(new VideoGone(ID));

		this.probe.onUpload(new VideoMessage(ID, "http://api/content", 0));

		verify(this.progress, never()).markNotMedia(anyString(), anyString());
		verify(this.store).deleteThumbnail(ID);
		assertThat(this.meters.counter("videos.probes", "outcome", "video_gone").count()).isOne();
	}

}
