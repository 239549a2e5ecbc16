package dev.labkafka.api.problems;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The problems an endpoint can answer with, for its OpenAPI description
 * ({@link ProblemDocs}): each is documented with its status, title, type and an example
 * detail, all from its {@link ApiProblem} constant.
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface Problems {

	ApiProblem[] value();

}
