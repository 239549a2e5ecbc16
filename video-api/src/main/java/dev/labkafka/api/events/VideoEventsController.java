package dev.labkafka.api.events;

import java.time.Instant;
import java.util.function.Supplier;

import dev.labkafka.api.catalog.VideoCatalog;
import dev.labkafka.api.problems.ApiProblem;
import dev.labkafka.api.problems.Problems;
import dev.labkafka.videos.Video;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Live events about videos, as server-sent events ({@code text/event-stream}): a
 * {@code video} event with the video's JSON each time it changes, a {@code deleted} event
 * when it is deleted, and a heartbeat comment when nothing happens. See
 * {@link VideoEvents}.
 */
@RestController
@RequestMapping("/v1/videos")
@Tag(name = "videos")
class VideoEventsController {

	private static final String EXAMPLE = "id:1764400000123\nevent:video\ndata:{\"id\":\"6650a1f2c3d4e5f6a7b8c9d0\","
			+ "\"status\":\"encoding\",\"variants\":{\"360\":\"http://localhost:10080/v1/videos/6650a1f2c3d4e5f6a7b8c9d0/content\"}}\n\n";

	/** The header a reconnecting {@code EventSource} sends. */
	static final String LAST_EVENT_ID = "Last-Event-ID";

	private final VideoEvents events;

	private final VideoCatalog catalog;

	VideoEventsController(VideoEvents events, VideoCatalog catalog) {
		this.events = events;
		this.catalog = catalog;
	}

	/**
	 * Every video's changes. On a reconnect with {@code Last-Event-ID}, the videos
	 * changed since come first.
	 */
	@Operation(summary = "Live events of every video (server-sent events)",
			description = "A 'video' event with the video's JSON at each change, 'deleted' with its id, "
					+ "heartbeat comments; the event id is the change's time. On a reconnect with Last-Event-ID "
					+ "the videos changed since come first ('reload' when too many did).")
	@ApiResponse(responseCode = "200", description = "The stream",
			content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(type = "string"),
					examples = @ExampleObject(value = EXAMPLE)))
	@Problems({ ApiProblem.INVALID_LAST_EVENT_ID, ApiProblem.TOO_MANY_EVENT_STREAMS, ApiProblem.SHUTTING_DOWN })
	@GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	ResponseEntity<SseEmitter> all(@RequestHeader(name = LAST_EVENT_ID, required = false) @Nullable String lastEventId,
			HttpServletRequest request) {
		Instant since = parse(lastEventId);
		return stream(request, () -> this.events.open(null, since));
	}

	/**
	 * One video's changes; its state comes at once (also when it is final), or on a
	 * reconnect only when it changed since {@code Last-Event-ID}.
	 */
	@Operation(summary = "Live events of one video (server-sent events)",
			description = "Its state at once (a final one too), then a 'video' event at each change and "
					+ "'deleted' when it is deleted. On a reconnect with Last-Event-ID its state comes only if "
					+ "it changed since.")
	@ApiResponse(responseCode = "200", description = "The stream",
			content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(type = "string"),
					examples = @ExampleObject(value = EXAMPLE)))
	@Problems({ ApiProblem.INVALID_VIDEO_ID, ApiProblem.INVALID_LAST_EVENT_ID, ApiProblem.VIDEO_NOT_FOUND,
			ApiProblem.TOO_MANY_EVENT_STREAMS, ApiProblem.SHUTTING_DOWN })
	@GetMapping(path = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	ResponseEntity<SseEmitter> one(@PathVariable String id,
			@RequestHeader(name = LAST_EVENT_ID, required = false) @Nullable String lastEventId,
			HttpServletRequest request) {
		Instant since = parse(lastEventId);
		Video video = this.catalog.find(id);
		return stream(request, () -> this.events.open(video, since));
	}

	/**
	 * A {@code HEAD} request gets the head of a stream and no stream: a stream it opened
	 * would hold its place until it timed out, since writing nothing to it never fails.
	 */
	private ResponseEntity<SseEmitter> stream(HttpServletRequest request, Supplier<SseEmitter> open) {
		ResponseEntity.BodyBuilder ok = ResponseEntity.ok().contentType(MediaType.TEXT_EVENT_STREAM);
		return HttpMethod.HEAD.matches(request.getMethod()) ? ok.build() : ok.body(open.get());
	}

	/** An id this API sent: a time in milliseconds since the epoch, never negative. */
	private static @Nullable Instant parse(@Nullable String lastEventId) {
		if (lastEventId == null || lastEventId.isBlank()) {
			return null;
		}
		try {
			long millis = Long.parseLong(lastEventId.strip());
			if (millis >= 0) {
				return Instant.ofEpochMilli(millis);
			}
		}
		catch (NumberFormatException ex) {
			// Below.
		}
		throw ApiProblem.INVALID_LAST_EVENT_ID.exception(ApiProblem.abbreviate(lastEventId));
	}

}
