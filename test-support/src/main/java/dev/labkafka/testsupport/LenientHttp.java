package dev.labkafka.testsupport;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
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

	/**
	 * Uploads {@code content} as the seed's curl does ({@code -F "file=@<filename>"}): a
	 * multipart {@code POST /v1/videos} with one part named {@code file}.
	 */
	public static ResponseEntity<String> upload(RestClient http, String filename, byte[] content) {
		return upload(http, new ByteArrayResource(content) {
			@Override
			public String getFilename() {
				return filename;
			}
		});
	}

	/** Uploads a file, or any resource with a file name, as the seed's curl does. */
	public static ResponseEntity<String> upload(RestClient http, Resource file) {
		MultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
		parts.add("file", file);
		return http.post()
			.uri("/v1/videos")
			.contentType(MediaType.MULTIPART_FORM_DATA)
			.body(parts)
			.retrieve()
			.toEntity(String.class);
	}

}
