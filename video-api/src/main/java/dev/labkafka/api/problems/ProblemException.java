package dev.labkafka.api.problems;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * An {@link ApiProblem} thrown: Spring MVC answers it as its RFC 9457 problem, with its
 * status, headers and properties ({@link ApiErrors}). Those of a part that is down or
 * busy tell the client when to try again ({@code Retry-After}).
 */
public final class ProblemException extends ErrorResponseException {

	private final ApiProblem problem;

	ProblemException(ApiProblem problem, String detail) {
		super(problem.status(), body(problem, detail), null);
		this.problem = problem;
		if (problem.retryLater()) {
			getHeaders().set(HttpHeaders.RETRY_AFTER, ApiProblem.RETRY_AFTER_SECONDS);
		}
	}

	static ProblemDetail body(ApiProblem problem, String detail) {
		ProblemDetail body = ProblemDetail.forStatusAndDetail(problem.status(), detail);
		body.setTitle(problem.title());
		body.setType(problem.type());
		return body;
	}

	/** Which problem it is. */
	public ApiProblem problem() {
		return this.problem;
	}

	/** Whether it is this problem. */
	public boolean is(ApiProblem problem) {
		return this.problem == problem;
	}

	/** The same problem with a property that names what it is about. */
	public ProblemException with(String property, Object value) {
		getBody().setProperty(property, value);
		return this;
	}

	/** The same problem with a header of the answer. */
	public ProblemException withHeader(String name, String value) {
		getHeaders().set(name, value);
		return this;
	}

	@Override
	public String getMessage() {
		return this.problem.title() + ": " + getBody().getDetail();
	}

}
