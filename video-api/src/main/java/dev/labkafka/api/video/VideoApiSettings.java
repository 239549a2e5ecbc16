package dev.labkafka.api.video;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the video API, under {@code video.api}.
 *
 * @param publicBaseUrl the address clients and workers reach this API at; video urls are
 * built from it
 * @param videosTopicPartitions partitions of the uploads topic, when this service creates
 * it
 * @param encodingTimeout how long a video may stay {@code encoding} without progress
 * before it is sent through the pipeline again
 * @param outbox how announcements that could not be sent at once are relayed
 * @param paging limits of {@code GET /v1/videos}
 * @param upload limits of {@code POST /v1/videos}
 */
@Validated
@ConfigurationProperties("video.api")
public record VideoApiSettings(@DefaultValue("http://localhost:10080") @NotNull URI publicBaseUrl,
		@DefaultValue("6") @Min(1) int videosTopicPartitions, @DefaultValue("10m") @NotNull Duration encodingTimeout,
		@DefaultValue @Valid @NotNull Outbox outbox, @DefaultValue @Valid @NotNull Paging paging,
		@DefaultValue @Valid @NotNull Upload upload) {

	/**
	 * @param interval how often the relay looks for due announcements and stuck videos
	 * @param lease how long an announcement in flight is left alone before it is sent
	 * again; longer than the producer's {@code delivery.timeout.ms}
	 * @param batchSize the most announcements one relay pass sends
	 */
	public record Outbox(@DefaultValue("1s") @NotNull Duration interval, @DefaultValue("30s") @NotNull Duration lease,
			@DefaultValue("100") @Min(1) int batchSize) {
	}

	/**
	 * @param defaultLimit videos per page when the client names no limit
	 * @param maxLimit the largest limit a client may ask for
	 */
	public record Paging(@DefaultValue("20") @Min(1) int defaultLimit,
			@DefaultValue("100") @Min(1) @Max(10_000) int maxLimit) {
	}

	/**
	 * @param maxFileSize the largest video an upload may carry; a larger one is refused
	 * with 413 and nothing of it is kept
	 * @param maxPartHeaderSize the longest header block of one multipart part (room for
	 * long file names, which are cut to 255 characters when stored)
	 */
	public record Upload(@DefaultValue("1GB") @NotNull DataSize maxFileSize,
			@DefaultValue("8KB") @NotNull DataSize maxPartHeaderSize) {
	}

	/** Where the bytes of the video with this id can be fetched. */
	String contentUrl(String id) {
		String base = this.publicBaseUrl.toString();
		return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v1/videos/" + id + "/content";
	}

}
