package dev.labkafka.api.problems;

import java.net.URI;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.MessageSourceResolvable;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every error into an RFC 9457 problem. {@link ProblemException}s (the API's own
 * problems) and Spring MVC's own exceptions (missing parameter, type mismatch, unknown
 * path, wrong method...) are Spring's {@code ErrorResponse}s, which it renders with their
 * status and headers; a database that cannot be reached is
 * {@link ApiProblem#DATABASE_UNAVAILABLE}; a parameter out of its range
 * {@link ApiProblem#INVALID_PARAMETER}; anything unexpected
 * {@link ApiProblem#UNEXPECTED}, without internals. Each problem's type is made absolute
 * against this API's public address ({@link ProblemTypes}).
 */
@RestControllerAdvice
class ApiErrors extends ResponseEntityExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(ApiErrors.class);

	private final ProblemTypes types;

	ApiErrors(ProblemTypes types) {
		this.types = types;
	}

	/** An expected outage: a warning with its cause, no stack trace. */
	@ExceptionHandler
	ResponseEntity<Object> unavailable(DataAccessResourceFailureException ex, WebRequest request) {
		logger.warn("Database unavailable: {}", ex.getMostSpecificCause().toString());
		return handleExceptionInternal(ApiProblem.DATABASE_UNAVAILABLE.exception(), request);
	}

	/**
	 * Stored bytes that could not be read while they were served: logged once, on one
	 * line; answered with the problem if nothing was sent yet, else left to
	 * {@link BrokenAnswers}, which closes the connection.
	 */
	@ExceptionHandler
	@Nullable ResponseEntity<Object> unreadable(UnreadableContent ex, WebRequest request, HttpServletResponse response)
			throws UnreadableContent {
		String when = response.isCommitted() ? "after its answer began; the connection is closed"
				: "before its answer began";
		if (ex.outage()) {
			logger.warn("{} ({})", ex.getMessage(), when);
		}
		else {
			logger.error("{} ({})", ex.getMessage(), when);
		}
		if (response.isCommitted()) {
			throw ex;
		}
		clearMediaHeaders(response);
		return handleExceptionInternal(ex.problem(), request);
	}

	/**
	 * Drops what the answer's head said of the media (its length, range, type, caching),
	 * keeping the CORS headers, so that a player on another site can read the problem.
	 */
	private static void clearMediaHeaders(HttpServletResponse response) {
		Map<String, Collection<String>> cors = new LinkedHashMap<>();
		for (String name : response.getHeaderNames()) {
			if (name.regionMatches(true, 0, "Access-Control-", 0, 15) || name.equalsIgnoreCase(HttpHeaders.VARY)) {
				cors.put(name, List.copyOf(response.getHeaders(name)));
			}
		}
		response.reset();
		cors.forEach((name, values) -> values.forEach((value) -> response.addHeader(name, value)));
	}

	@ExceptionHandler
	ResponseEntity<Object> unexpected(Exception ex, WebRequest request) {
		logger.error("Unexpected error", ex);
		return handleExceptionInternal(ApiProblem.UNEXPECTED.exception(), request);
	}

	/** A request parameter out of its range: the problem names it. */
	@Override
	protected @Nullable ResponseEntity<Object> handleHandlerMethodValidationException(
			HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		ProblemException problem = ApiProblem.INVALID_PARAMETER.exception(
				ex.getParameterValidationResults().stream().map(ApiErrors::describe).collect(Collectors.joining("; ")));
		ex.getParameterValidationResults()
			.stream()
			.findFirst()
			.ifPresent((result) -> problem.with("parameter", result.getMethodParameter().getParameterName()));
		return handleExceptionInternal(problem, request);
	}

	/**
	 * A body of a type the endpoint does not take: when the request names no type at all,
	 * the problem says so (Spring's own detail would read "Content-Type 'null'"), and
	 * both name the types it takes.
	 */
	@Override
	protected @Nullable ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		String accepted = ex.getSupportedMediaTypes()
			.stream()
			.map(MediaType::toString)
			.collect(Collectors.joining(", "));
		ex.getBody()
			.setDetail(((ex.getContentType() == null) ? "The request has no Content-Type"
					: "Content-Type '" + ApiProblem.abbreviate(ex.getContentType().toString()) + "' is not supported")
					+ "; this endpoint takes " + accepted + ".");
		return super.handleHttpMediaTypeNotSupported(ex, headers, status, request);
	}

	private ResponseEntity<Object> handleExceptionInternal(ProblemException problem, WebRequest request) {
		return handleExceptionInternal(problem, problem.getBody(), problem.getHeaders(), problem.getStatusCode(),
				request);
	}

	/** Every problem's type, absolute. */
	@Override
	protected ResponseEntity<Object> createResponseEntity(@Nullable Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		if (body instanceof ProblemDetail problem) {
			URI type = problem.getType();
			problem.setType(this.types.absolute(type));
		}
		return super.createResponseEntity(body, headers, statusCode, request);
	}

	private static String describe(ParameterValidationResult result) {
		return result.getMethodParameter().getParameterName() + " "
				+ result.getResolvableErrors()
					.stream()
					.map(MessageSourceResolvable::getDefaultMessage)
					.collect(Collectors.joining(", "));
	}

}
