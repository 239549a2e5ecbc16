package dev.labkafka.api.video;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;

import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Puts the video id of a {@code /v1/videos/{id}...} request in the logging context
 * ({@code videoId}), so that every log line about the video carries it. Uploads put the
 * new video's id there themselves.
 */
@Component
class VideoIdInLogs extends OncePerRequestFilter {

	static final String KEY = "videoId";

	private static final Pattern VIDEO_PATH = Pattern.compile("^/v1/videos/([0-9a-fA-F]{24})(/.*)?$");

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Matcher video = VIDEO_PATH.matcher(request.getRequestURI());
		if (!video.matches()) {
			chain.doFilter(request, response);
			return;
		}
		try (MDC.MDCCloseable videoId = MDC.putCloseable(KEY, video.group(1))) {
			chain.doFilter(request, response);
		}
	}

}
