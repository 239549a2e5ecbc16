package dev.labkafka.api;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every error into RFC 9457 problem details. Spring MVC's own exceptions (missing
 * part, type mismatch, unknown path, wrong method, upload too large...) and this API's
 * {@link org.springframework.web.ErrorResponseException ErrorResponseExceptions} keep
 * their status; anything unexpected becomes a 500 without internals.
 */
@RestControllerAdvice
class ApiErrors extends ResponseEntityExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(ApiErrors.class);

	@ExceptionHandler
	ProblemDetail unavailable(DataAccessResourceFailureException ex) {
		logger.warn("Database unavailable: {}", ex.toString());
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"The database cannot be reached; nothing was changed. Try again shortly.");
		problem.setTitle("Database unavailable");
		return problem;
	}

	/**
	 * A multipart body that cannot be parsed (no boundary, a body that does not match
	 * it). Too large a body is a {@code MaxUploadSizeExceededException}, a subclass that
	 * the base class answers with 413.
	 */
	@ExceptionHandler
	ProblemDetail unreadableMultipart(MultipartException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
				"The multipart/form-data body could not be read: "
						+ NestedExceptionUtils.getMostSpecificCause(ex).getMessage());
		problem.setTitle("Malformed multipart body");
		return problem;
	}

	@ExceptionHandler
	ProblemDetail unexpected(Exception ex) {
		logger.error("Unexpected error", ex);
		return ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
				"The server failed to handle the request; it has been logged.");
	}

}
