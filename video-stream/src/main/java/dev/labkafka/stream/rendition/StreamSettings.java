package dev.labkafka.stream.rendition;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the stream worker, under {@code video.stream}.
 *
 * @param transcodeTime how long the mock transcoder takes for one rendition
 * @param renditionConcurrency consumer threads making renditions in this process: each
 * makes one rendition at a time, so this is how many renditions run at once
 * @param fanOutConcurrency consumer threads fanning uploads out in this process; each
 * fan-out is a transaction of its own, so a burst of uploads waits less with more
 * @param videosTopicPartitions partitions of the uploads topic, when this service creates
 * it
 * @param renditionsTopicPartitions partitions of the renditions topic, when this service
 * creates it: the most rendition consumers the whole group can use
 * @param retry how a record that failed for a passing reason is tried again
 */
@Validated
@ConfigurationProperties("video.stream")
public record StreamSettings(@DefaultValue("3s") @NotNull Duration transcodeTime,
		@DefaultValue("4") @Min(1) int renditionConcurrency, @DefaultValue("3") @Min(1) int fanOutConcurrency,
		@DefaultValue("6") @Min(1) int videosTopicPartitions, @DefaultValue("24") @Min(1) int renditionsTopicPartitions,
		@DefaultValue @Valid @NotNull Retry retry) {

	/**
	 * Exponential backoff for transient failures (MongoDB unreachable, a broker hiccup).
	 * With the defaults a record is tried 11 times over about three minutes before it
	 * goes to the dead-letter topic and its video is marked failed.
	 *
	 * @param initialInterval the wait before the first retry
	 * @param multiplier how much each wait grows
	 * @param maxInterval the longest wait
	 * @param maxRetries retries before giving up
	 */
	public record Retry(@DefaultValue("1s") @NotNull Duration initialInterval, @DefaultValue("2") double multiplier,
			@DefaultValue("30s") @NotNull Duration maxInterval, @DefaultValue("10") @Min(0) int maxRetries) {
	}

}
