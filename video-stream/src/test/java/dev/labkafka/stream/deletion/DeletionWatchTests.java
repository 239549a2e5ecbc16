package dev.labkafka.stream.deletion;

import java.util.Set;

import dev.labkafka.stream.StreamSettings;
import dev.labkafka.stream.media.MediaTools;
import dev.labkafka.stream.progress.VideoProgress;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyCollection;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

/**
 * The watch stops the jobs of deleted videos only: once each, never a job that ended (its
 * thread may work on another video by then), and not at all while MongoDB cannot say.
 */
class DeletionWatchTests {

	static final String GONE = "65a1b2c3d4e5f6a7b8c9d0e1";

	static final String KEPT = "65a1b2c3d4e5f6a7b8c9d0e2";

	final MediaTools tools = mock(MediaTools.class);

	final VideoProgress progress = mock(VideoProgress.class);

	final VideoJobs jobs = new VideoJobs(this.tools, this.progress);

	final DeletionWatch watch = new DeletionWatch(this.jobs, this.progress,
			new Binder(new MapConfigurationPropertySource()).bindOrCreate("video.stream", StreamSettings.class));

	@Test
	void stopsTheJobsOfADeletedVideoOnceAndLetsTheirThreadGoOnWhenTheyEnd() {
		given(this.progress.existing(Set.of(GONE, KEPT))).willReturn(Set.of(KEPT));
		VideoJobs.Job gone = this.jobs.start(GONE);
		VideoJobs.Job kept = this.jobs.start(KEPT);

		this.watch.check();
		this.watch.check();

		verify(this.tools, times(1)).stopFor(Thread.currentThread(), GONE);
		verify(this.tools, never()).stopFor(any(), eq(KEPT));
		assertThat(gone.gone()).isTrue();
		assertThat(kept.gone()).isFalse();
		gone.close();
		verify(this.tools).release(Thread.currentThread());
		kept.close();
	}

	@Test
	void stopsNoJobThatEndedAndLooksNotAtAllWhenThereIsNone() {
		VideoJobs.Job ended = this.jobs.start(GONE);
		ended.close();

		this.watch.check();

		verifyNoInteractions(this.progress);
		verify(this.tools, never()).stopFor(any(), any());
	}

	@Test
	void stopsNothingWhileMongoCannotSay() {
		given(this.progress.existing(anyCollection())).willThrow(new IllegalStateException("MongoDB is down"));
		VideoJobs.Job job = this.jobs.start(GONE);

		this.watch.check();

		assertThat(job.gone()).isFalse();
		verify(this.tools, never()).stopFor(any(), any());
		job.close();
	}

}
