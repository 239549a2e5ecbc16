package dev.labkafka.api;

import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.MessageSourceResolvable;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every error that no feature handles itself into RFC 9457 problem details. Spring
 * MVC's own exceptions (missing parameter, type mismatch, invalid parameter, unknown
 * path, wrong method...) keep their status; a database that cannot be reached is a 503
 * that says to try again; anything unexpected becomes a 500 without internals.
 */
@RestControllerAdvice
public class ApiErrors extends ResponseEntityExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(ApiErrors.class);

	/**
	 * Seconds a client is told to wait before trying again when a part is down or busy.
	 */
	public static final String RETRY_AFTER_SECONDS = "5";

	/** The title of the problem answered while MongoDB cannot be reached. */
	public static final String DATABASE_UNAVAILABLE = "Database unavailable";

	/** Its detail. */
	public static final String DATABASE_UNAVAILABLE_DETAIL = "The database cannot be reached. Try again shortly.";

	/** An expected outage: a warning with its cause, no stack trace. */
	@ExceptionHandler
	ResponseEntity<ProblemDetail> unavailable(DataAccessResourceFailureException ex) {
		logger.warn("Database unavailable: {}", ex.getMostSpecificCause().toString());
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				DATABASE_UNAVAILABLE_DETAIL);
		problem.setTitle(DATABASE_UNAVAILABLE);
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
			.body(problem);
	}

	@ExceptionHandler
	ProblemDetail unexpected(Exception ex) {
		logger.error("Unexpected error", ex);
		return ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
				"The server failed to handle the request; it has been logged.");
	}

	/** A request parameter out of its range: the problem names it. */
	@Override
	protected @Nullable ResponseEntity<Object> handleHandlerMethodValidationException(
			HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		ProblemDetail problem = ProblemDetail.forStatus(HttpStatus.BAD_REQUEST);
		problem.setTitle("Invalid request parameter");
		problem.setDetail(
				ex.getParameterValidationResults().stream().map(ApiErrors::describe).collect(Collectors.joining("; ")));
		ex.getParameterValidationResults()
			.stream()
			.findFirst()
			.ifPresent((result) -> problem.setProperty("parameter", result.getMethodParameter().getParameterName()));
		return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
	}

	private static String describe(ParameterValidationResult result) {
		return result.getMethodParameter().getParameterName() + " "
				+ result.getResolvableErrors()
					.stream()
					.map(MessageSourceResolvable::getDefaultMessage)
					.collect(Collectors.joining(", "));
	}

}
