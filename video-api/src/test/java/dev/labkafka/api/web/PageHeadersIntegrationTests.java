package dev.labkafka.api.web;

import dev.labkafka.api.ApiIntegrationTests;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page's security headers, written by Spring Security, on every answer: the page,
 * JSON, a problem, a refused URL, and Swagger UI with the inline styles it needs.
 */
class PageHeadersIntegrationTests extends ApiIntegrationTests {

	@Test
	void sendsTheSecurityHeadersWithEveryAnswer() {
		for (String path : new String[] { "/", "/v1/videos", "/v1/videos/6650a1f2c3d4e5f6a7b8c9d0", "/v2/nothing",
				"/v1/videos/a/../b" }) {
			ResponseEntity<String> answer = this.http.get()
				.uri(path)
				.header(HttpHeaders.ACCEPT, "text/html")
				.retrieve()
				.toEntity(String.class);
			assertThat(answer.getHeaders().getFirst("Content-Security-Policy")).as(path)
				.isEqualTo(WriteSecurity.CONTENT_SECURITY_POLICY);
			assertThat(answer.getHeaders().getFirst("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
			assertThat(answer.getHeaders().getFirst("X-Frame-Options")).as(path).isEqualTo("DENY");
			assertThat(answer.getHeaders().getFirst("Referrer-Policy")).as(path).isEqualTo("no-referrer");
		}
		assertThat(WriteSecurity.CONTENT_SECURITY_POLICY).contains("script-src 'self';", "style-src 'self';")
			.doesNotContain("unsafe");
		ResponseEntity<String> swaggerUi = this.http.get()
			.uri("/swagger-ui/index.html")
			.retrieve()
			.toEntity(String.class);
		assertThat(swaggerUi.getHeaders().getFirst("Content-Security-Policy"))
			.isEqualTo(WriteSecurity.SWAGGER_UI_POLICY);
	}

	@Test
	void leavesCachingToTheApi() {
		ResponseEntity<String> list = this.http.get().uri("/v1/videos").retrieve().toEntity(String.class);
		assertThat(list.getHeaders().getFirst(HttpHeaders.CACHE_CONTROL)).as("not Spring Security's no-cache").isNull();
	}

}
