package dev.labkafka.api.problems;

import java.util.LinkedHashMap;
import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The problems' types: each is a page of this API ({@code /problems/<name>}) that says
 * what the problem is, so that the {@code type} of an answer leads somewhere, as RFC 9457
 * asks.
 */
@RestController
@Tag(name = "problems")
class ProblemTypeController {

	private final ProblemTypes types;

	ProblemTypeController(ProblemTypes types) {
		this.types = types;
	}

	@Operation(summary = "What a problem type means",
			description = "The type of a problem this API answers with: its status, title and an example.")
	@GetMapping(path = ApiProblem.TYPES_PATH + "{name}", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<?> describe(@PathVariable String name) {
		ApiProblem problem = ApiProblem.named(name).orElse(null);
		if (problem == null) {
			return ResponseEntity.of(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
					"No problem type of this API is named '" + ApiProblem.abbreviate(name) + "'."))
				.build();
		}
		Map<String, Object> description = new LinkedHashMap<>();
		description.put("type", String.valueOf(this.types.absolute(problem.type())));
		description.put("title", problem.title());
		description.put("status", problem.status().value());
		description.put("example", problem.exampleDetail());
		return ResponseEntity.ok().cacheControl(CacheControl.noCache()).body(description);
	}

}
