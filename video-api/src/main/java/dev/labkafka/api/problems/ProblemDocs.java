package dev.labkafka.api.problems;

import java.util.LinkedHashMap;
import java.util.Map;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.method.HandlerMethod;

/**
 * The problems in the OpenAPI description: each endpoint's {@link Problems} become
 * {@code application/problem+json} responses with the {@code Problem} schema, and an
 * example made from each {@link ApiProblem}; every endpoint of {@code /v1} can also
 * answer {@link ApiProblem#DATABASE_UNAVAILABLE}, and every write (an endpoint that
 * answers {@link ApiProblem#TOKEN_NEEDED})
 * {@link ApiProblem#IDENTITY_PROVIDER_UNAVAILABLE}.
 */
@Configuration(proxyBeanMethods = false)
class ProblemDocs {

	static final String PROBLEM_JSON = "application/problem+json";

	static final String PROBLEM_SCHEMA = "Problem";

	@Bean
	OpenApiCustomizer problemSchema() {
		return (api) -> {
			if (api.getComponents() == null) {
				api.setComponents(new Components());
			}
			api.getComponents()
				.addSchemas(PROBLEM_SCHEMA,
						new ObjectSchema().description("An RFC 9457 problem")
							.addProperty("type",
									new StringSchema().format("uri")
										.description("What the problem is: a page of this API that describes it"))
							.addProperty("title", new StringSchema())
							.addProperty("status", new IntegerSchema())
							.addProperty("detail", new StringSchema())
							.addProperty("instance", new StringSchema().format("uri-reference")));
			StringBuilder anyRequest = new StringBuilder(
					(api.getInfo() != null && api.getInfo().getDescription() != null)
							? api.getInfo().getDescription() + "\n\n" : "");
			anyRequest.append("Any request may also be answered with:");
			for (ApiProblem problem : ApiProblem.values()) {
				if (problem.anyRequest()) {
					anyRequest.append("\n- ")
						.append(problem.status().value())
						.append(' ')
						.append(problem.title())
						.append(" (")
						.append(problem.type())
						.append("): ")
						.append(problem.exampleDetail());
				}
			}
			if (api.getInfo() != null) {
				api.getInfo().setDescription(anyRequest.toString());
			}
		};
	}

	@Bean
	OperationCustomizer problemResponses(ProblemTypes types) {
		return (operation, handler) -> {
			Problems problems = AnnotatedElementUtils.findMergedAnnotation(handler.getMethod(), Problems.class);
			if (problems != null) {
				for (ApiProblem problem : problems.value()) {
					add(operation, problem, types);
					if (problem == ApiProblem.TOKEN_NEEDED) {
						// A write's token is checked against the identity provider's
						// keys.
						add(operation, ApiProblem.IDENTITY_PROVIDER_UNAVAILABLE, types);
					}
				}
			}
			if (isVersioned(handler)) {
				add(operation, ApiProblem.DATABASE_UNAVAILABLE, types);
			}
			return operation;
		};
	}

	/** Whether the endpoint is under {@code /v1}: those reach the database. */
	private static boolean isVersioned(HandlerMethod handler) {
		RequestMapping type = AnnotatedElementUtils.findMergedAnnotation(handler.getBeanType(), RequestMapping.class);
		RequestMapping method = AnnotatedElementUtils.findMergedAnnotation(handler.getMethod(), RequestMapping.class);
		String prefix = (type != null && type.path().length > 0) ? type.path()[0] : "";
		String path = (method != null && method.path().length > 0) ? method.path()[0] : "";
		return (prefix + path).startsWith("/v1/");
	}

	private static void add(Operation operation, ApiProblem problem, ProblemTypes types) {
		ApiResponses responses = operation.getResponses();
		String code = Integer.toString(problem.status().value());
		Map<String, Object> example = new LinkedHashMap<>();
		example.put("type", String.valueOf(types.absolute(problem.type())));
		example.put("title", problem.title());
		example.put("status", problem.status().value());
		example.put("detail", problem.exampleDetail());
		ApiResponse response = responses.get(code);
		if (response == null) {
			response = new ApiResponse().description(problem.status().getReasonPhrase());
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
		media.addExamples(problem.typeName(), new Example().summary(problem.title()).value(example));
	}

}
