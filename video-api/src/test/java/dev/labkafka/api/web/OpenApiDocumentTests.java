package dev.labkafka.api.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.labkafka.api.VideoApiApplication;
import dev.labkafka.testsupport.EmbeddedInfrastructure;
import io.swagger.v3.oas.annotations.Hidden;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.client.RestClient;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI description against the application itself: every endpoint a controller of
 * the API maps is in {@code /v3/api-docs} with its method, every error it documents is an
 * RFC 9457 problem with an example, and Swagger UI is served.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = VideoApiApplication.CONFIG_NAME)
@EmbeddedInfrastructure
class OpenApiDocumentTests {

	static final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping mappings;

	JsonNode document() {
		return json.readTree(RestClient.create("http://localhost:" + this.port)
			.get()
			.uri("/v3/api-docs")
			.retrieve()
			.body(String.class));
	}

	@Test
	void describesEveryEndpointOfEveryController() {
		JsonNode paths = document().get("paths");
		List<String> endpoints = new ArrayList<>();
		for (Map.Entry<RequestMappingInfo, HandlerMethod> mapping : this.mappings.getHandlerMethods().entrySet()) {
			Class<?> controller = mapping.getValue().getBeanType();
			if (!controller.getPackageName().startsWith("dev.labkafka.api")
					|| controller.isAnnotationPresent(Hidden.class)) {
				// Hidden: the container's error page, which is no endpoint of the API.
				continue;
			}
			Set<RequestMethod> methods = mapping.getKey().getMethodsCondition().getMethods();
			for (String path : mapping.getKey().getPatternValues()) {
				for (RequestMethod method : methods.isEmpty() ? Set.of(RequestMethod.GET) : methods) {
					endpoints.add(method + " " + path);
					assertThat(paths.path(path).path(method.name().toLowerCase()).isObject())
						.as("%s %s is in the OpenAPI document", method, path)
						.isTrue();
				}
			}
		}
		assertThat(endpoints).as("the API's endpoints").hasSizeGreaterThanOrEqualTo(11);
	}

	@Test
	void documentsEveryErrorAsAProblemWithAnExample() {
		JsonNode paths = document().get("paths");
		List<String> errors = new ArrayList<>();
		paths.properties().forEach((path) -> path.getValue().properties().forEach((operation) -> {
			operation.getValue().get("responses").properties().forEach((response) -> {
				if (Integer.parseInt(response.getKey()) < 400) {
					return;
				}
				String what = operation.getKey() + " " + path.getKey() + " " + response.getKey();
				errors.add(what);
				JsonNode problem = response.getValue().path("content").path("application/problem+json");
				assertThat(problem.path("schema").path("$ref").asString()).as(what).endsWith("/Problem");
				assertThat(problem.path("examples").isEmpty()).as(what + " has an example").isFalse();
			});
			if (path.getKey().startsWith("/v1/")) {
				assertThat(operation.getValue().get("responses").has("503"))
					.as(operation.getKey() + " " + path.getKey() + " documents its 503")
					.isTrue();
			}
		}));
		assertThat(errors).contains("get /v1/videos/{id} 404", "post /v1/videos 413", "post /v1/videos 415",
				"get /v1/videos/events 503", "get /v1/videos/{id}/content 416");
	}

	@Test
	void describesEachRenditionsSegmentsInTheVideosJson() {
		JsonNode schemas = document().path("components").path("schemas");
		JsonNode segments = schemas.path("VideoResponse").path("properties").path("segments");
		assertThat(segments.path("description").asString()).contains("segments stored out of those planned");
		assertThat(segments.path("additionalProperties").path("$ref").asString()).endsWith("/SegmentProgress");
		assertThat(schemas.path("SegmentProgress").path("properties").propertyNames())
			.containsExactlyInAnyOrder("planned", "done", "percent");
	}

	@Test
	void servesSwaggerUi() {
		String page = RestClient.create("http://localhost:" + this.port)
			.get()
			.uri("/swagger-ui/index.html")
			.retrieve()
			.body(String.class);
		assertThat(page).contains("Swagger UI");
	}

}
