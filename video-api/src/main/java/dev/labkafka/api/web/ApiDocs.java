package dev.labkafka.api.web;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.labkafka.api.ApiErrors;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OperationCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpStatus;
import org.springframework.web.method.HandlerMethod;

/**
 * The API's OpenAPI description, made by springdoc from the controllers
 * ({@code /v3/api-docs}, Swagger UI at {@code /swagger-ui/index.html}). Errors are RFC
 * 9457 problems: each endpoint names its own with {@link ProblemResponse}, and every
 * endpoint of {@code /v1} can also answer 503 when MongoDB cannot be reached.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocs {

	static final String PROBLEM_JSON = "application/problem+json";

	static final String PROBLEM_SCHEMA = "Problem";

	@Bean
	OpenAPI videoApiDescription() {
		return new OpenAPI()
			.info(new Info().title("Video API")
				.version("v1")
				.description("Upload videos, follow them through the pipeline (live, as server-sent events) and "
						+ "fetch their renditions. Errors are RFC 9457 problems (application/problem+json)."))
			.components(new Components().addSchemas(PROBLEM_SCHEMA, problemSchema()));
	}

	private static Schema<?> problemSchema() {
		return new ObjectSchema().description("An RFC 9457 problem")
			.addProperty("type", new StringSchema().format("uri").example("about:blank"))
			.addProperty("title", new StringSchema())
			.addProperty("status", new IntegerSchema())
			.addProperty("detail", new StringSchema())
			.addProperty("instance", new StringSchema().format("uri-reference"));
	}

	@Bean
	OperationCustomizer problemResponses() {
		return (operation, handler) -> {
			for (ProblemResponse problem : AnnotatedElementUtils.findMergedRepeatableAnnotations(handler.getMethod(),
					ProblemResponse.class, ProblemResponse.List.class)) {
				add(operation, problem.status(), problem.title(), problem.detail());
			}
			if (isVersioned(handler)) {
				add(operation, 503, ApiErrors.DATABASE_UNAVAILABLE, ApiErrors.DATABASE_UNAVAILABLE_DETAIL);
			}
			return operation;
		};
	}

	private static boolean isVersioned(HandlerMethod handler) {
		return handler.getBeanType().getPackageName().startsWith("dev.labkafka.api.video");
	}

	private static void add(Operation operation, int status, String title, String detail) {
		ApiResponses responses = operation.getResponses();
		String code = Integer.toString(status);
		Map<String, Object> example = new LinkedHashMap<>();
		example.put("title", title);
		example.put("status", status);
		example.put("detail", detail);
		ApiResponse response = responses.get(code);
		if (response == null) {
			response = new ApiResponse().description(HttpStatus.valueOf(status).getReasonPhrase());
			responses.addApiResponse(code, response);
		}
		if (response.getContent() == null) {
			response.setContent(new Content());
		}
		MediaType media = response.getContent().get(PROBLEM_JSON);
		if (media == null) {
			media = new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM_SCHEMA));
			response.getContent().addMediaType(PROBLEM_JSON, media);
		}
		media.addExamples(title, new io.swagger.v3.oas.models.examples.Example().summary(title).value(example));
	}

}
