package dev.labkafka.stream.rendition;

import java.time.Duration;

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
 * @param fanOutConcurrency consumer threads fanning uploads out in this process
 * @param fanOutTimeout how long a fan-out waits for Kafka to take its four messages
 * @param videosTopicPartitions partitions of the uploads topic, when this service creates
 * it
 * @param renditionsTopicPartitions partitions of the renditions topic, when this service
 * creates it: the most rendition consumers the whole group can use
 */
@Validated
@ConfigurationProperties("video.stream")
public record StreamSettings(@DefaultValue("3s") @NotNull Duration transcodeTime,
		@DefaultValue("4") @Min(1) int renditionConcurrency, @DefaultValue("1") @Min(1) int fanOutConcurrency,
		@DefaultValue("10s") @NotNull Duration fanOutTimeout, @DefaultValue("6") @Min(1) int videosTopicPartitions,
		@DefaultValue("24") @Min(1) int renditionsTopicPartitions) {

}
