package dev.labkafka.api;

import java.net.URI;
import java.time.Duration;

import dev.labkafka.videos.StoredMedia;
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
 * @param publicBaseUrl the address clients reach this API at; video urls are built from
 * it. They are for clients only: the worker names a video by its id, and reads its bytes
 * from GridFS by that id.
 * @param stuck how videos that stopped moving are found and sent through the pipeline
 * again
 * @param outbox how announcements that could not be sent at once are relayed
 * @param upload limits of {@code POST /v1/videos}
 * @param database how long the API waits for MongoDB before it answers 503
 * @param events the live event streams ({@code /v1/videos/events})
 * @param browserPort a second port the same API listens on, for browsers, which refuse
 * 10080; {@code 0} for a free one, {@code -1} for none
 */
@Validated
@ConfigurationProperties("video.api")
public record VideoApiSettings(@DefaultValue("http://localhost:10080") @NotNull URI publicBaseUrl,
		@DefaultValue @Valid @NotNull Stuck stuck, @DefaultValue @Valid @NotNull Outbox outbox,
		@DefaultValue @Valid @NotNull Upload upload, @DefaultValue @Valid @NotNull Database database,
		@DefaultValue @Valid @NotNull Events events, @DefaultValue("8080") @Min(-1) @Max(65535) int browserPort) {

	/**
	 * A video is stuck when it is still {@code uploaded} or {@code encoding}, has made no
	 * progress for {@code after}, and none of its messages is still waiting in Kafka (the
	 * worker's consumer groups are past them, or they are gone): then nothing would ever
	 * move it, and it goes through the pipeline again. A video waiting in a backlog or
	 * for a retry, or whose rendition is being made, however long, is never stuck.
	 *
	 * @param after how long a video may make no progress before it is looked at
	 * @param checkInterval how often the API looks for stuck videos
	 */
	public record Stuck(@DefaultValue("10m") @NotNull Duration after,
			@DefaultValue("30s") @NotNull Duration checkInterval) {
	}

	/**
	 * @param interval how often the relay sends the announcements that are due
	 * @param lease how long an announcement in flight is left alone before it is sent
	 * again; longer than the producer's {@code delivery.timeout.ms}
	 * @param batchSize the most announcements one relay pass sends
	 */
	public record Outbox(@DefaultValue("1s") @NotNull Duration interval, @DefaultValue("30s") @NotNull Duration lease,
			@DefaultValue("100") @Min(1) int batchSize) {
	}

	/**
	 * Limits of uploads, multipart ({@code POST /v1/videos}) and resumable
	 * ({@code /v1/uploads}).
	 *
	 * @param maxFileSize the largest video an upload may carry; a larger one is refused
	 * with 413 and nothing of it is kept
	 * @param maxPartHeaderSize the longest header block of one multipart part (room for
	 * long file names, which are cut to 255 characters when stored)
	 * @param maxConcurrent the most request bodies of uploads this instance reads at
	 * once; one more is answered 503 with {@code Retry-After} at once instead of holding
	 * a server thread
	 * @param expiration how long a resumable upload may receive no bytes before it
	 * expires and its bytes are removed; also how old bytes that belong to no video and
	 * no upload must be before they are removed (what a killed instance leaves)
	 * @param sweepInterval how often expired uploads and such bytes are looked for
	 * @param minRate the fewest bytes per second an upload body must bring, over each
	 * {@code minRateWindow} the server waits for it; a slower one is cut off (408), so
	 * that trickling clients cannot hold the slots: a multipart upload keeps nothing, a
	 * resumable one keeps what arrived
	 * @param minRateWindow how long the server waits for an upload's bytes before it
	 * looks at their rate, and again after each look
	 * @param clientShare the share of {@code maxConcurrent} one client may hold at once,
	 * in percent, and at least one slot; a client is its token's subject when writes need
	 * a token, else its address. One more upload of it is answered 503 with
	 * {@code Retry-After}
	 * @param resumable how many resumable uploads may be open, and how fast they may be
	 * created
	 */
	public record Upload(@DefaultValue("1GB") @NotNull DataSize maxFileSize,
			@DefaultValue("8KB") @NotNull DataSize maxPartHeaderSize, @DefaultValue("32") @Min(1) int maxConcurrent,
			@DefaultValue("24h") @NotNull Duration expiration, @DefaultValue("15m") @NotNull Duration sweepInterval,
			@DefaultValue("16KB") @NotNull DataSize minRate, @DefaultValue("30s") @NotNull Duration minRateWindow,
			@DefaultValue("50") @Min(1) @Max(100) int clientShare, @DefaultValue @Valid @NotNull Resumable resumable) {

		/** The most slots one client may hold at once. */
		public int maxPerClient() {
			return Math.max(1, this.maxConcurrent * this.clientShare / 100);
		}
	}

	/**
	 * Bounds on resumable uploads ({@code /v1/uploads}), so that one client cannot fill
	 * the {@code uploads} collection with uploads it never sends. A client is the token's
	 * subject when writes need a token, else the remote address. An open upload is one
	 * still receiving that has not expired.
	 *
	 * @param maxOpenPerClient the most open uploads one client may have; one more is
	 * refused with 429 and {@code Retry-After}
	 * @param maxOpen the most open uploads in all; one more is refused with 503 and
	 * {@code Retry-After}
	 * @param creationsPerMinute how many uploads one client may create per minute, on
	 * each instance, once its burst is spent; one more is refused with 429 and
	 * {@code Retry-After} (seconds until it may create one)
	 * @param creationBurst how many uploads one client may create at once
	 * @param maxClientsTracked the most clients whose creation rate each instance keeps;
	 * those idle the longest are forgotten first (a forgotten client has its full burst)
	 */
	public record Resumable(@DefaultValue("100") @Min(1) int maxOpenPerClient,
			@DefaultValue("10000") @Min(1) int maxOpen, @DefaultValue("60") @Min(1) int creationsPerMinute,
			@DefaultValue("20") @Min(1) int creationBurst, @DefaultValue("10000") @Min(1) int maxClientsTracked) {
	}

	/**
	 * @param timeout how long a request waits to reach MongoDB (server selection and
	 * connecting) before it is answered 503; seconds, so that an outage is reported fast
	 * and inside a health check's timeout
	 * @param readTimeout how long the API waits for MongoDB to answer once a request is
	 * sent, so that a server that hangs is reported too
	 */
	public record Database(@DefaultValue("3s") @NotNull Duration timeout,
			@DefaultValue("30s") @NotNull Duration readTimeout) {
	}

	/**
	 * @param maxStreams the most event streams one instance keeps open; one more is
	 * refused with 503
	 * @param heartbeat how often an idle stream gets a comment, so that proxies keep it
	 * and a client that went away is noticed
	 * @param timeout how long one stream lasts; the client then reconnects with its
	 * {@code Last-Event-ID}
	 * @param buffer the most events one stream holds that its client has not read yet; a
	 * client that falls that far behind is disconnected (it reconnects with its
	 * {@code Last-Event-ID} and is told what changed since), so that it never holds up
	 * the others
	 */
	public record Events(@DefaultValue("1000") @Min(1) int maxStreams, @DefaultValue("15s") @NotNull Duration heartbeat,
			@DefaultValue("30m") @NotNull Duration timeout, @DefaultValue("1000") @Min(16) int buffer) {
	}

	/** Where the bytes of the video with this id can be fetched. */
	public String contentUrl(String id) {
		return videoUrl(id) + "/" + StoredMedia.CONTENT_PATH;
	}

	/** Where the poster frame of the video with this id can be fetched. */
	public String thumbnailUrl(String id) {
		return videoUrl(id) + "/" + StoredMedia.THUMBNAIL_PATH;
	}

	/** Where the HLS master playlist of the video with this id can be fetched. */
	public String hlsUrl(String id) {
		return videoUrl(id) + "/" + StoredMedia.HLS_PATH + "/" + StoredMedia.MASTER_PLAYLIST;
	}

	private String videoUrl(String id) {
		String base = this.publicBaseUrl.toString();
		return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v1/videos/" + id;
	}

}
