package dev.labkafka.api.tus;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import dev.labkafka.api.VideoApiSettings;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Component;

/**
 * The threads that store an append's batch while its request thread reads the next one
 * ({@link Append}): one per upload whose body is being read, at most, as many as the
 * instance reads at once ({@code video.api.upload.max-concurrent}). When none is free,
 * the request thread stores its batch itself: an append then waits for its stores, as it
 * would without these threads, and nothing queues. A shutdown waits for the stores in
 * hand, so that none is cut off by the database client closing.
 */
@Component
class BatchWriters implements DisposableBean {

	private final ThreadPoolTaskExecutor threads = new ThreadPoolTaskExecutor();

	@Autowired
	BatchWriters(VideoApiSettings settings) {
		this(settings.upload().maxConcurrent());
	}

	BatchWriters(int threads) {
		this.threads.setThreadNamePrefix("tus-store-");
		this.threads.setCorePoolSize(0);
		this.threads.setMaxPoolSize(threads);
		this.threads.setQueueCapacity(0);
		this.threads.setKeepAliveSeconds(60);
		this.threads.setDaemon(true);
		// Run by the request's thread when none is free, even once shutting down (a
		// store never left undone).
		this.threads.setRejectedExecutionHandler((store, executor) -> store.run());
		// The request's trace (and the video's id in the logs) goes with its stores.
		this.threads.setTaskDecorator(new ContextPropagatingTaskDecorator());
		this.threads.setWaitForTasksToCompleteOnShutdown(true);
		this.threads.setAwaitTerminationSeconds(30);
		this.threads.initialize();
	}

	/** Starts {@code store} on a thread of its own, or runs it now if none is free. */
	Pending start(Runnable store) {
		return new Pending(CompletableFuture.runAsync(store, this.threads));
	}

	@Override
	public void destroy() {
		this.threads.shutdown();
	}

	/** A store started: the append waits for it before its next change. */
	static final class Pending {

		private final CompletableFuture<Void> store;

		private Pending(CompletableFuture<Void> store) {
			this.store = store;
		}

		/** Waits for the store to end; throws what it threw. */
		void await() {
			try {
				this.store.join();
			}
			catch (CompletionException ex) {
				if (ex.getCause() instanceof RuntimeException failure) {
					throw failure;
				}
				if (ex.getCause() instanceof Error error) {
					throw error;
				}
				throw ex;
			}
		}

	}

}
