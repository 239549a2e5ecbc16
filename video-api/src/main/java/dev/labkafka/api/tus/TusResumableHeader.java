package dev.labkafka.api.tus;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code Tus-Resumable: 1.0.0} on every answer about resumable uploads, as the protocol
 * asks, whoever answers: the controller, Spring MVC (a wrong method or content type) or
 * Spring Security (a missing token). First of the filters, so before Spring Security's.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class TusResumableHeader extends OncePerRequestFilter {

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !request.getRequestURI().startsWith(TusController.PATH);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		response.setHeader(TusController.TUS_RESUMABLE, TusController.TUS_VERSION);
		chain.doFilter(request, response);
	}

}
