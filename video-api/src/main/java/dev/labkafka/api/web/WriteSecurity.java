package dev.labkafka.api.web;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Who may write. When Spring Boot's resource server is configured (the standard
 * {@code spring.security.oauth2.resourceserver.jwt.*} properties: an {@code issuer-uri},
 * or a {@code public-key-location} for a local key), every write needs a JWT with the
 * scope {@value #WRITE_SCOPE}: uploads (multipart and resumable), retries and deletes. A
 * request without a valid token gets 401, one whose token lacks the scope 403, both as
 * problem details with the {@code WWW-Authenticate} challenge of RFC 6750. Reads, the
 * event streams, the page and the health endpoints stay public.
 * <p>
 * When nothing is configured, writes are open, as in the original lab, and the API says
 * so at startup. The API keeps no session and sets no cookie (no CSRF token needed); the
 * page's security headers are {@link PageHeaders}'.
 */
@Configuration(proxyBeanMethods = false)
class WriteSecurity {

	private static final Logger logger = LoggerFactory.getLogger(WriteSecurity.class);

	/** The scope a token needs for writes. */
	static final String WRITE_SCOPE = "videos:write";

	private static final JwtAuthenticationConverter SCOPES = new JwtAuthenticationConverter();

	@Bean
	SecurityFilterChain apiSecurity(HttpSecurity http, ObjectProvider<JwtDecoder> jwtDecoders, JsonMapper json) {
		http.csrf(AbstractHttpConfigurer::disable)
			.headers(AbstractHttpConfigurer::disable)
			.requestCache(AbstractHttpConfigurer::disable)
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
		if (jwtDecoders.getIfAvailable() == null) {
			logger.warn("Writes are open: no spring.security.oauth2.resourceserver.jwt.* is set, so anyone who "
					+ "reaches the API may upload, retry and delete videos");
			http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll());
			return http.build();
		}
		RequestMatcher writes = writes();
		DefaultBearerTokenResolver tokens = new DefaultBearerTokenResolver();
		http.authorizeHttpRequests(
				(requests) -> requests.dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC)
					.permitAll()
					.requestMatchers(writes)
					.hasAuthority("SCOPE_" + WRITE_SCOPE)
					.anyRequest()
					.permitAll())
			.oauth2ResourceServer((server) -> server
				// A token sent with a read is not looked at: reads are public, whatever
				// the token.
				.bearerTokenResolver((request) -> writes.matches(request) ? tokens.resolve(request) : null)
				.jwt((jwt) -> jwt.jwtAuthenticationConverter(WriteSecurity::expiringOnly))
				.authenticationEntryPoint(unauthorized(json))
				.accessDeniedHandler(forbidden(json)));
		logger.info("Writes need a bearer token with scope {}", WRITE_SCOPE);
		return http.build();
	}

	/**
	 * The requests that change something: uploads (multipart, and every tus request but
	 * the discovery {@code OPTIONS}), deletes and retries.
	 */
	static RequestMatcher writes() {
		PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
		RequestMatcher tusDiscovery = new OrRequestMatcher(paths.matcher(HttpMethod.OPTIONS, "/v1/uploads"),
				paths.matcher(HttpMethod.OPTIONS, "/v1/uploads/*"));
		return new OrRequestMatcher(paths.matcher(HttpMethod.POST, "/v1/videos"),
				paths.matcher(HttpMethod.POST, "/v1/videos/*/retry"), paths.matcher(HttpMethod.DELETE, "/v1/videos/*"),
				new AndRequestMatcher(
						new OrRequestMatcher(paths.matcher("/v1/uploads"), paths.matcher("/v1/uploads/**")),
						new NegatedRequestMatcher(tusDiscovery)));
	}

	/**
	 * Spring Security's reading of a JWT (scopes from {@code scope} or {@code scp}),
	 * refusing a token without an expiry: one that leaked would be valid forever.
	 */
	private static AbstractAuthenticationToken expiringOnly(Jwt jwt) {
		if (jwt.getExpiresAt() == null) {
			throw new InvalidBearerTokenException("The token has no expiry (claim exp)");
		}
		return SCOPES.convert(jwt);
	}

	/**
	 * A request Spring Security's firewall refuses (a URL that is not normalized, or
	 * holds characters that could fool a path match) gets a problem too.
	 */
	@Bean
	RequestRejectedHandler rejectedRequests(JsonMapper json) {
		return (request, response, ex) -> writeProblem(json, request, response, HttpStatus.BAD_REQUEST,
				"Request rejected", "The request's URL is not normalized or holds characters this API refuses.");
	}

	/** RFC 6750's challenge, with a problem detail as the body. */
	private static AuthenticationEntryPoint unauthorized(JsonMapper json) {
		BearerTokenAuthenticationEntryPoint challenge = new BearerTokenAuthenticationEntryPoint();
		return (request, response, ex) -> {
			challenge.commence(request, response, ex);
			boolean tokenSent = request.getHeader("Authorization") != null;
			writeProblem(json, request, response, HttpStatus.UNAUTHORIZED, "Token needed",
					tokenSent ? "The bearer token was refused (expired, not yet valid, or not signed by the "
							+ "issuer this API trusts); writes need a valid token with scope " + WRITE_SCOPE + "."
							: "Writes need a bearer token with scope " + WRITE_SCOPE
									+ " (header Authorization: Bearer <token>).");
		};
	}

	private static AccessDeniedHandler forbidden(JsonMapper json) {
		BearerTokenAccessDeniedHandler challenge = new BearerTokenAccessDeniedHandler();
		return (request, response, ex) -> {
			challenge.handle(request, response, ex);
			writeProblem(json, request, response, HttpStatus.FORBIDDEN, "Scope missing",
					"The bearer token does not grant scope " + WRITE_SCOPE + ", which writes need.");
		};
	}

	private static void writeProblem(JsonMapper json, HttpServletRequest request, HttpServletResponse response,
			HttpStatus status, String title, String detail) throws IOException {
		Map<String, Object> problem = new LinkedHashMap<>();
		problem.put("type", "about:blank");
		problem.put("title", title);
		problem.put("status", status.value());
		problem.put("detail", detail);
		problem.put("instance", request.getRequestURI());
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		json.writeValue(response.getOutputStream(), problem);
	}

}
