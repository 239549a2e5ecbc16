package dev.labkafka.api.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An RFC 9457 problem an endpoint can answer with, for its OpenAPI description: the
 * status, the title it always has, and a detail as an example. {@link ApiDocs} turns each
 * into an {@code application/problem+json} response with that example.
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Repeatable(ProblemResponse.List.class)
public @interface ProblemResponse {

	int status();

	String title();

	String detail();

	@Documented
	@Target(ElementType.METHOD)
	@Retention(RetentionPolicy.RUNTIME)
	@interface List {

		ProblemResponse[] value();

	}

}
