package dev.labkafka.api;

import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The original gateway's root: a cheap sign of life for scripts and load balancers.
 */
@RestController
class StatusController {

	@GetMapping("/")
	Map<String, String> status() {
		return Map.of("status", "ok");
	}

}
