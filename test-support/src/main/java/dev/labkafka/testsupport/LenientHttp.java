package dev.labkafka.testsupport;

import org.springframework.web.client.RestClient;

/**
 * An HTTP client for tests that look at every answer themselves: a 4xx or 5xx is an
 * answer like any other, never an exception.
 */
public final class LenientHttp {

	private LenientHttp() {
	}

	/** A client of {@code baseUrl} that hands back every status. */
	public static RestClient client(String baseUrl) {
		return RestClient.builder().baseUrl(baseUrl).defaultStatusHandler((status) -> true, (request, response) -> {
		}).build();
	}

}
