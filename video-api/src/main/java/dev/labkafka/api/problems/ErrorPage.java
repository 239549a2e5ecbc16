package dev.labkafka.api.problems;

import java.net.URI;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import io.swagger.v3.oas.annotations.Hidden;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The servlet container's error page ({@code /error}), in the place of Spring Boot's: an
 * error that never reached Spring MVC's handlers (a method the container itself refuses,
 * such as {@code TRACE}; an exception out of a filter) is answered with a problem too,
 * never Boot's own JSON or a stack trace. The container has logged an exception already.
 */
@Hidden
@RestController
class ErrorPage implements ErrorController {

	private final ProblemTypes types;

	ErrorPage(ProblemTypes types) {
		this.types = types;
	}

	@RequestMapping("${server.error.path:${error.path:/error}}")
	ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
		ProblemDetail problem = problem(request);
		problem.setType(this.types.absolute(problem.getType()));
		Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
		if (uri instanceof String path && !path.contains(" ")) {
			problem.setInstance(URI.create(path));
		}
		return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

	private static ProblemDetail problem(HttpServletRequest request) {
		if (request.getDispatcherType() != DispatcherType.ERROR) {
			return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
					"No endpoint " + request.getMethod() + " " + ApiProblem.abbreviate(request.getRequestURI()) + ".");
		}
		Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		HttpStatus status = HttpStatus.resolve((code instanceof Integer number) ? number : 500);
		// A 4xx keeps its status whatever was thrown with it: Tomcat refusing a body as
		// it
		// is read (a chunk extension) says 400 and gives its exception.
		if (status == null || status == HttpStatus.INTERNAL_SERVER_ERROR
				|| (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) != null && !status.is4xxClientError())) {
			return ProblemException.body(ApiProblem.UNEXPECTED, ApiProblem.UNEXPECTED.detail());
		}
		if (status == HttpStatus.METHOD_NOT_ALLOWED) {
			// The error page is reached as a GET, whatever the request's method was.
			return ProblemDetail.forStatusAndDetail(status,
					"The request's method is not supported here: the Allow header says which are.");
		}
		return ProblemDetail.forStatusAndDetail(status, "The request was refused: " + status.getReasonPhrase() + ".");
	}

}
