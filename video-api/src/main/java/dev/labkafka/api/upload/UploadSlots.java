package dev.labkafka.api.upload;

import java.util.concurrent.Semaphore;

import dev.labkafka.api.VideoApiSettings;
import dev.labkafka.api.problems.ApiProblem;

import org.springframework.stereotype.Component;

/**
 * The most upload bodies this instance reads at once
 * ({@code video.api.upload.max-concurrent}), multipart and resumable together. A request
 * past it is refused at once, so that slow uploads cannot hold every server thread while
 * reads and health checks wait.
 */
@Component
public class UploadSlots {

	private final int max;

	private final Semaphore slots;

	UploadSlots(VideoApiSettings settings) {
		this.max = settings.upload().maxConcurrent();
		this.slots = new Semaphore(this.max);
	}

	/**
	 * A slot for one upload, given back when closed.
	 * @throws dev.labkafka.api.problems.ProblemException
	 * {@link ApiProblem#TOO_MANY_UPLOADS} if every slot is taken
	 */
	public Slot take() {
		if (!this.slots.tryAcquire()) {
			throw ApiProblem.TOO_MANY_UPLOADS.exception(this.max);
		}
		return new Slot();
	}

	/** Slots in use, for the metrics. */
	int inUse() {
		return this.max - this.slots.availablePermits();
	}

	/** One upload's slot. */
	public final class Slot implements AutoCloseable {

		private boolean released;

		private Slot() {
		}

		@Override
		public void close() {
			if (!this.released) {
				this.released = true;
				UploadSlots.this.slots.release();
			}
		}

	}

}
