package dev.labkafka.api.video;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the video API, under {@code video.api}.
 *
 * @param publicBaseUrl the address clients and workers reach this API at; video urls are
 * built from it
 * @param announceTimeout how long an upload waits for Kafka to take its announcement
 * @param videosTopicPartitions partitions of the uploads topic, when this service creates
 * it
 * @param paging limits of {@code GET /v1/videos}
 */
@Validated
@ConfigurationProperties("video.api")
public record VideoApiSettings(@DefaultValue("http://localhost:10080") @NotNull URI publicBaseUrl,
		@DefaultValue("10s") @NotNull Duration announceTimeout, @DefaultValue("6") @Min(1) int videosTopicPartitions,
		@DefaultValue @Valid @NotNull Paging paging) {

	/**
	 * @param defaultLimit videos per page when the client names no limit
	 * @param maxLimit the largest limit a client may ask for
	 */
	public record Paging(@DefaultValue("20") @Min(1) int defaultLimit,
			@DefaultValue("100") @Min(1) @Max(10_000) int maxLimit) {
	}

	/** Where the bytes of the video with this id can be fetched. */
	String contentUrl(String id) {
		String base = this.publicBaseUrl.toString();
		return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v1/videos/" + id + "/content";
	}

}
