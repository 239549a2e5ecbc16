package dev.labkafka.api.tus.limits;

import java.time.Duration;
import java.util.function.LongSupplier;

import dev.labkafka.api.VideoApiSettings;
import dev.labkafka.api.problems.ApiProblem;

import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * Whether a client may create one more resumable upload
 * ({@code video.api.upload.resumable.*}): not faster than its rate on this instance, not
 * past its open uploads, not past the open uploads of all. The rate is looked at first:
 * it costs no query.
 */
@Component
public class CreationLimits {

	/** What a client over its cap is told to wait: an upload of its may end meanwhile. */
	static final Duration FULL_RETRY_AFTER = Duration.ofMinutes(1);

	private final VideoApiSettings.Resumable settings;

	private final CreationRate rate;

	CreationLimits(VideoApiSettings settings) {
		this.settings = settings.upload().resumable();
		this.rate = new CreationRate(this.settings.creationsPerMinute(), this.settings.creationBurst(),
				this.settings.maxClientsTracked());
	}

	/**
	 * Refuses the creation with {@link ApiProblem#UPLOAD_RATE_EXCEEDED},
	 * {@link ApiProblem#TOO_MANY_OPEN_UPLOADS} or {@link ApiProblem#UPLOADS_FULL} when it
	 * goes past a limit.
	 * @param openByClient counts the client's open uploads
	 * @param openInAll counts all open uploads
	 */
	public void check(String client, LongSupplier openByClient, LongSupplier openInAll) {
		Duration wait = this.rate.take(client);
		if (!wait.isZero()) {
			throw ApiProblem.UPLOAD_RATE_EXCEEDED.exception(this.settings.creationsPerMinute())
				.withHeader(HttpHeaders.RETRY_AFTER, String.valueOf(seconds(wait)));
		}
		if (openByClient.getAsLong() >= this.settings.maxOpenPerClient()) {
			throw ApiProblem.TOO_MANY_OPEN_UPLOADS.exception(this.settings.maxOpenPerClient())
				.withHeader(HttpHeaders.RETRY_AFTER, String.valueOf(FULL_RETRY_AFTER.toSeconds()));
		}
		if (openInAll.getAsLong() >= this.settings.maxOpen()) {
			throw ApiProblem.UPLOADS_FULL.exception()
				.withHeader(HttpHeaders.RETRY_AFTER, String.valueOf(FULL_RETRY_AFTER.toSeconds()));
		}
	}

	private static long seconds(Duration wait) {
		return Math.max(1, (wait.toMillis() + 999) / 1000);
	}

}
