package dev.labkafka.api.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The API's OpenAPI description, made by springdoc from the controllers
 * ({@code /v3/api-docs}, Swagger UI at {@code /swagger-ui/index.html}). Errors are RFC
 * 9457 problems, which {@code problems} documents.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocs {

	@Bean
	OpenAPI videoApiDescription() {
		return new OpenAPI()
			.info(new Info().title("Video API")
				.version("v1")
				.description("Upload videos, follow them through the pipeline (live, as server-sent events) and "
						+ "fetch their renditions. Errors are RFC 9457 problems (application/problem+json)."))
			.components(new Components());
	}

}
