package dev.labkafka.api.web;

import dev.labkafka.api.VideoApiApplication;
import dev.labkafka.api.VideoApiSettings;
import dev.labkafka.api.problems.ProblemTypes;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /}: the original gateway's JSON for curl and scripts, the page for browsers,
 * content negotiated.
 */
@WebMvcTest(controllers = RootController.class, properties = VideoApiApplication.CONFIG_NAME,
		excludeFilters = @ComponentScan.Filter(type = FilterType.REGEX,
				pattern = "dev\\.labkafka\\.api\\.(tracing|tus)\\..*"))
class RootControllerTests {

	static final String CHROMIUM_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,"
			+ "image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7";

	@Autowired
	MockMvcTester mvc;

	@Test
	void answersTheSeedsJsonToCurlAndToClientsThatDoNotAskForHtml() {
		for (String accept : new String[] { "*/*", "application/json", "text/*", "text/html;q=0", "not a type",
				"text/html;q=0.1, application/json", "text/html, application/json" }) {
			assertThat(this.mvc.get().uri("/").header(HttpHeaders.ACCEPT, accept)).as(accept)
				.hasStatusOk()
				.hasContentType(MediaType.APPLICATION_JSON)
				.bodyJson()
				.isStrictlyEqualTo("{\"status\":\"ok\"}");
		}
		assertThat(this.mvc.get().uri("/")).hasStatusOk().bodyJson().isStrictlyEqualTo("{\"status\":\"ok\"}");
	}

	@Test
	void answersThePageToABrowser() {
		assertThat(this.mvc.get().uri("/").header(HttpHeaders.ACCEPT, CHROMIUM_ACCEPT)).hasStatusOk()
			.hasHeader(HttpHeaders.VARY, HttpHeaders.ACCEPT)
			.hasContentTypeCompatibleWith(MediaType.TEXT_HTML)
			.bodyText()
			.contains("<title>Videos</title>", "<script src=\"/videos.js\" defer></script>");
	}

	@TestConfiguration(proxyBeanMethods = false)
	@EnableConfigurationProperties(VideoApiSettings.class)
	@Import(ProblemTypes.class)
	static class Problems {

	}

}
