package dev.labkafka.api.problems;

import java.io.IOException;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.coyote.CloseNowException;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Stored bytes that stop being readable once their answer has begun (its head, with its
 * {@code Content-Length}, is on its way): nothing can be said any more, so the connection
 * is closed at once, and the client sees a body shorter than announced, an error, rather
 * than waiting for bytes that never come or taking what came for the whole. The failure
 * was logged once ({@link ApiErrors}); it leaves here as Tomcat's own signal to close the
 * connection, which Tomcat does without logging it again, and the error page Tomcat would
 * then add to the answer is skipped.
 */
@Component
class BrokenAnswers extends OncePerRequestFilter {

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		// Tomcat includes its error page into an answer that has begun.
		if (request.getDispatcherType() != DispatcherType.REQUEST
				&& unreadable(request.getAttribute(RequestDispatcher.ERROR_EXCEPTION))) {
			return;
		}
		try {
			chain.doFilter(request, response);
		}
		catch (UnreadableContent ex) {
			throw new CloseNowException(ex.getMessage(), ex);
		}
	}

	private static boolean unreadable(@Nullable Object error) {
		for (Throwable cause = (error instanceof Throwable thrown) ? thrown : null; cause != null; cause = cause
			.getCause()) {
			if (cause instanceof UnreadableContent) {
				return true;
			}
		}
		return false;
	}

	@Override
	protected boolean shouldNotFilterErrorDispatch() {
		return false;
	}

}
