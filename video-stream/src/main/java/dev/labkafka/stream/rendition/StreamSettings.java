package dev.labkafka.stream.rendition;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the stream worker, under {@code video.stream}. The topics and their
 * partitions are not settings: they are the design's, in
 * {@link dev.labkafka.messages.Topics}.
 *
 * @param transcodeTime how long the mock transcoder takes for one rendition
 * @param transcodeTimeout the longest one rendition may take; a rendition consumer may
 * hold its record this long without the group giving its partitions to another
 * ({@code max.poll.interval.ms} is set a minute above it)
 * @param renditionConcurrency consumer threads making renditions in this process: each
 * makes one rendition at a time, so this is how many renditions run at once
 * @param fanOutConcurrency consumer threads fanning uploads out in this process; each
 * fan-out is a transaction of its own, so a burst of uploads waits less with more
 * @param retry how a record that failed for a passing reason is tried again
 */
@Validated
@ConfigurationProperties("video.stream")
public record StreamSettings(@DefaultValue("3s") @NotNull Duration transcodeTime,
		@DefaultValue("20m") @NotNull Duration transcodeTimeout, @DefaultValue("4") @Min(1) int renditionConcurrency,
		@DefaultValue("3") @Min(1) int fanOutConcurrency, @DefaultValue @Valid @NotNull Retry retry) {

	/**
	 * Exponential backoff for transient failures (MongoDB unreachable, a broker hiccup).
	 * With the defaults a record is tried 11 times over about three and a half minutes
	 * before it goes to the dead-letter topic and its video is marked failed. A fan-out
	 * is retried in place (its partition waits); a rendition through retry topics, so
	 * that the renditions behind it go on.
	 *
	 * @param initialInterval the wait before the first retry
	 * @param multiplier how much each wait grows
	 * @param maxInterval the longest wait
	 * @param maxRetries retries before giving up
	 */
	public record Retry(@DefaultValue("1s") @NotNull Duration initialInterval, @DefaultValue("2") double multiplier,
			@DefaultValue("30s") @NotNull Duration maxInterval, @DefaultValue("10") @Min(0) int maxRetries) {
	}

	/**
	 * The longest a rendition consumer may go between two polls: the longest transcode
	 * and a minute to record it.
	 */
	Duration maxPollInterval() {
		return this.transcodeTimeout.plus(Duration.ofMinutes(1));
	}

}
