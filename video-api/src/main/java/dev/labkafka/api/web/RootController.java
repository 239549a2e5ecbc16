package dev.labkafka.api.web;

import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The root: the original gateway's {@code {"status":"ok"}} for scripts, load balancers
 * and curl, and the web page for browsers. Which one is content negotiation: a client
 * that names {@code text/html} in its {@code Accept} (every browser does) gets the page;
 * {@code *}{@code /*}, {@code application/json} or no {@code Accept} at all get the JSON,
 * as before.
 */
@RestController
@Tag(name = "status")
class RootController {

	static final Resource PAGE = new ClassPathResource("static/index.html");

	@Operation(summary = "A sign of life, or the web page",
			description = "{\"status\":\"ok\"} as JSON; the web page when the client asks for text/html.")
	@ApiResponse(responseCode = "200", description = "Alive",
			content = {
					@Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
							examples = @ExampleObject(value = "{\"status\":\"ok\"}")),
					@Content(mediaType = MediaType.TEXT_HTML_VALUE) })
	@GetMapping("/")
	ResponseEntity<?> root(@RequestHeader(name = HttpHeaders.ACCEPT, required = false) @Nullable String accept) {
		ResponseEntity.BodyBuilder ok = ResponseEntity.ok().varyBy(HttpHeaders.ACCEPT);
		if (asksForHtml(accept)) {
			return ok.contentType(MediaType.TEXT_HTML).cacheControl(CacheControl.noCache()).body(PAGE);
		}
		return ok.contentType(MediaType.APPLICATION_JSON).body(Map.of("status", "ok"));
	}

	/**
	 * Whether {@code text/html} itself is acceptable (not only through a wildcard), and
	 * preferred to JSON: its weight is higher than that of {@code application/json} and
	 * of the wildcards JSON falls under.
	 */
	static boolean asksForHtml(@Nullable String accept) {
		if (accept == null) {
			return false;
		}
		List<MediaType> types;
		try {
			types = MediaType.parseMediaTypes(accept);
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
		double html = types.stream()
			.filter((type) -> type.getType().equals("text") && type.getSubtype().equals("html"))
			.mapToDouble(MediaType::getQualityValue)
			.max()
			.orElse(0);
		double json = types.stream()
			.filter((type) -> type.includes(MediaType.APPLICATION_JSON))
			.mapToDouble(MediaType::getQualityValue)
			.max()
			.orElse(0);
		return html > 0 && html > json;
	}

}
