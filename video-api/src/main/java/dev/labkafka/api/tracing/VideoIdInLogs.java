package dev.labkafka.api.tracing;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.tracing.BaggageInScope;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Handles a {@code /v1/videos/{id}...} request {@link VideoContext about its video}, so
 * that every log line about it carries the id. It runs inside the request's trace, which
 * Spring Boot's observation filter starts first. Uploads put the new video's id there
 * themselves.
 */
@Component
class VideoIdInLogs extends OncePerRequestFilter {

	private static final Pattern VIDEO_PATH = Pattern.compile("^/v1/videos/([0-9a-fA-F]{24})(/.*)?$");

	private final VideoContext context;

	VideoIdInLogs(VideoContext context) {
		this.context = context;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Matcher video = VIDEO_PATH.matcher(request.getRequestURI());
		if (!video.matches()) {
			chain.doFilter(request, response);
			return;
		}
		try (BaggageInScope videoId = this.context.open(video.group(1))) {
			chain.doFilter(request, response);
		}
	}

}
