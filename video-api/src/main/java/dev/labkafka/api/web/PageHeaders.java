package dev.labkafka.api.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Security headers on every answer. The page's Content-Security-Policy lets it load only
 * its own scripts, styles, images and media, from this origin, with no inline script or
 * style; Swagger UI, which styles itself inline, gets inline styles. Answers are never
 * sniffed for another type, never framed, and send no referrer.
 */
@Component
class PageHeaders extends OncePerRequestFilter {

	static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
			+ "img-src 'self' data:; media-src 'self' blob:; connect-src 'self'; object-src 'none'; "
			+ "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

	static final String SWAGGER_UI_POLICY = "default-src 'self'; script-src 'self'; "
			+ "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; "
			+ "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		boolean swaggerUi = request.getRequestURI().startsWith("/swagger-ui/");
		response.setHeader("Content-Security-Policy", swaggerUi ? SWAGGER_UI_POLICY : CONTENT_SECURITY_POLICY);
		response.setHeader("X-Content-Type-Options", "nosniff");
		response.setHeader("X-Frame-Options", "DENY");
		response.setHeader("Referrer-Policy", "no-referrer");
		chain.doFilter(request, response);
	}

}
