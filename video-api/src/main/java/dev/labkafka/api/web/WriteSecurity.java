package dev.labkafka.api.web;

import java.util.List;

import jakarta.servlet.DispatcherType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.labkafka.api.problems.ApiProblem;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
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
import org.springframework.security.web.header.writers.ContentSecurityPolicyHeaderWriter;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.HeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.header.writers.XContentTypeOptionsHeaderWriter;
import org.springframework.security.web.header.writers.frameoptions.XFrameOptionsHeaderWriter;
import org.springframework.security.web.header.writers.frameoptions.XFrameOptionsHeaderWriter.XFrameOptionsMode;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Who may write. When Spring Boot's resource server is configured (the standard
 * {@code spring.security.oauth2.resourceserver.jwt.*} properties: an {@code issuer-uri},
 * or a {@code public-key-location} for a local key, not both), every write needs a JWT
 * with the scope {@value #WRITE_SCOPE}: uploads (multipart and resumable), retries and
 * deletes. A request without a valid token gets 401, one whose token lacks the scope 403,
 * both as problem details with the {@code WWW-Authenticate} challenge of RFC 6750. Reads,
 * the event streams, the page and the health endpoints stay public.
 * <p>
 * When nothing is configured, writes are open, as in the original lab, and the API says
 * so at startup. The API keeps no session and sets no cookie (no CSRF token needed). The
 * page's security headers are written here too, on every answer, and the media's CORS
 * ({@link MediaCors}): a player on any site may read them.
 */
@Configuration(proxyBeanMethods = false)
class WriteSecurity {

	private static final Logger logger = LoggerFactory.getLogger(WriteSecurity.class);

	/** The scope a token needs for writes. */
	static final String WRITE_SCOPE = "videos:write";

	private static final JwtAuthenticationConverter SCOPES = new JwtAuthenticationConverter();

	/** The page's policy: its own scripts, styles, images and media only. */
	static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
			+ "img-src 'self' data:; media-src 'self' blob:; connect-src 'self'; object-src 'none'; "
			+ "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

	/** Swagger UI's: the same, with the inline styles it needs. */
	static final String SWAGGER_UI_POLICY = "default-src 'self'; script-src 'self'; "
			+ "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; "
			+ "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

	@Bean
	SecurityFilterChain apiSecurity(HttpSecurity http, ObjectProvider<JwtDecoder> jwtDecoders,
			OAuth2ResourceServerProperties resourceServer,
			@Qualifier("handlerExceptionResolver") HandlerExceptionResolver problems) {
		IdentityProvider.refuseTwoKeySources(resourceServer);
		http.csrf(AbstractHttpConfigurer::disable)
			.cors((cors) -> cors.configurationSource(MediaCors.source()))
			.headers(WriteSecurity::pageHeaders)
			.requestCache(AbstractHttpConfigurer::disable)
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
		JwtDecoder decoder = jwtDecoders.getIfAvailable();
		if (decoder == null) {
			logger.warn("Writes are open: no spring.security.oauth2.resourceserver.jwt.* is set, so anyone who "
					+ "reaches the API may upload, retry and delete videos");
			http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll());
			return http.build();
		}
		RequestMatcher writes = writes();
		DefaultBearerTokenResolver tokens = new DefaultBearerTokenResolver();
		AuthenticationEntryPoint unauthorized = unauthorized(problems);
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
				.jwt((jwt) -> jwt.decoder(IdentityProvider.telling(decoder))
					.jwtAuthenticationConverter(WriteSecurity::expiringOnly))
				.authenticationEntryPoint(unauthorized)
				// An identity provider that cannot be reached is 503, not 401 or 500.
				.withObjectPostProcessor(IdentityProvider.answering(unauthorized, problems))
				.accessDeniedHandler(forbidden(problems)));
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
	RequestRejectedHandler rejectedRequests(@Qualifier("handlerExceptionResolver") HandlerExceptionResolver problems) {
		return (request, response, ex) -> {
			PAGE_HEADERS.forEach((writer) -> writer.writeHeaders(request, response));
			problems.resolveException(request, response, null, ApiProblem.REQUEST_REJECTED.exception());
		};
	}

	/** RFC 6750's challenge, with a problem as the body. */
	private static AuthenticationEntryPoint unauthorized(HandlerExceptionResolver problems) {
		BearerTokenAuthenticationEntryPoint challenge = new BearerTokenAuthenticationEntryPoint();
		return (request, response, ex) -> {
			challenge.commence(request, response, ex);
			boolean tokenSent = request.getHeader("Authorization") != null;
			problems.resolveException(request, response, null, ApiProblem.TOKEN_NEEDED.exception(tokenSent
					? "The bearer token was refused (expired, not yet valid, or not signed by the issuer this API "
							+ "trusts); writes need a valid token with scope " + WRITE_SCOPE + "."
					: "Writes need a bearer token with scope " + WRITE_SCOPE
							+ " (header Authorization: Bearer <token>)."));
		};
	}

	private static AccessDeniedHandler forbidden(HandlerExceptionResolver problems) {
		BearerTokenAccessDeniedHandler challenge = new BearerTokenAccessDeniedHandler();
		return (request, response, ex) -> {
			challenge.handle(request, response, ex);
			problems.resolveException(request, response, null, ApiProblem.SCOPE_MISSING.exception(WRITE_SCOPE));
		};
	}

	/**
	 * The page's security headers, on every answer (refusals of the firewall too): its
	 * Content-Security-Policy lets it load only its own scripts, styles, images and
	 * media, from this origin, with no inline script or style (Swagger UI, which styles
	 * itself inline, gets inline styles); answers are never sniffed for another type,
	 * never framed, and send no referrer. Spring Security's other defaults are left out:
	 * the API says itself how long its answers may be kept.
	 */
	static final List<HeaderWriter> PAGE_HEADERS = pageHeaders();

	private static List<HeaderWriter> pageHeaders() {
		RequestMatcher swaggerUi = PathPatternRequestMatcher.withDefaults().matcher("/swagger-ui/**");
		return List.of(new XContentTypeOptionsHeaderWriter(), new XFrameOptionsHeaderWriter(XFrameOptionsMode.DENY),
				new ReferrerPolicyHeaderWriter(ReferrerPolicy.NO_REFERRER),
				new DelegatingRequestMatcherHeaderWriter(swaggerUi,
						new ContentSecurityPolicyHeaderWriter(SWAGGER_UI_POLICY)),
				new DelegatingRequestMatcherHeaderWriter(new NegatedRequestMatcher(swaggerUi),
						new ContentSecurityPolicyHeaderWriter(CONTENT_SECURITY_POLICY)));
	}

	private static void pageHeaders(HeadersConfigurer<HttpSecurity> headers) {
		headers.defaultsDisabled();
		PAGE_HEADERS.forEach(headers::addHeaderWriter);
	}

}
