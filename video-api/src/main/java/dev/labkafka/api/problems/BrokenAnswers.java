package dev.labkafka.api.problems;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.coyote.CloseNowException;

import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Stored bytes that stop being readable once their answer has begun (its head, with its
 * {@code Content-Length}, is on its way): nothing can be said any more, so the connection
 * is closed at once, and the client sees a body shorter than announced, an error, rather
 * than waiting for bytes that never come or taking what came for the whole. The failure
 * was logged once ({@link ApiErrors}); it leaves here as Tomcat's own signal to close the
 * connection, which Tomcat does without logging it again.
 */
@Component
class BrokenAnswers extends OncePerRequestFilter {

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		try {
			chain.doFilter(request, response);
		}
		catch (UnreadableContent ex) {
			throw new CloseNowException(ex.getMessage(), ex);
		}
	}

}
