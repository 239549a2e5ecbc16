package dev.labkafka.api.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import com.nimbusds.jose.KeySourceException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.labkafka.api.problems.ApiProblem;
import org.springframework.boot.context.properties.source.MutuallyExclusiveConfigurationPropertiesException;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderInitializationException;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * The identity provider the API checks tokens against ({@code issuer-uri} or
 * {@code jwk-set-uri}), when it cannot be reached: a write whose token cannot be checked
 * because the provider's keys cannot be fetched (its discovery document never read, or a
 * key it has not seen before while it is away) is answered
 * {@link ApiProblem#IDENTITY_PROVIDER_UNAVAILABLE}, 503 with {@code Retry-After}, and
 * logged as one warning line; never a 500 with a stack trace. Readiness says the same
 * ({@link IdentityProviderHealth}).
 */
final class IdentityProvider {

	private static final Logger logger = LoggerFactory.getLogger(IdentityProvider.class);

	private static final String JWT = "spring.security.oauth2.resourceserver.jwt.";

	private IdentityProvider() {
	}

	/**
	 * Refuses to start with both an issuer and a local public key: Spring Boot would
	 * check tokens with the local key only (and the issuer's name), never the issuer's
	 * keys, which is not what whoever set both meant.
	 */
	static void refuseTwoKeySources(OAuth2ResourceServerProperties properties) {
		OAuth2ResourceServerProperties.Jwt jwt = properties.getJwt();
		MutuallyExclusiveConfigurationPropertiesException.throwIfMultipleNonNullValuesIn((entries) -> {
			entries.put(JWT + "issuer-uri", jwt.getIssuerUri());
			entries.put(JWT + "public-key-location", jwt.getPublicKeyLocation());
		});
	}

	/**
	 * Spring Boot's decoder, whose failures to fetch the issuer's keys are told apart
	 * from tokens that are bad.
	 */
	static JwtDecoder telling(JwtDecoder decoder) {
		return (token) -> {
			try {
				return decoder.decode(token);
			}
			catch (JwtDecoderInitializationException ex) {
				throw new KeysUnavailable(ex);
			}
			catch (BadJwtException ex) {
				throw ex;
			}
			catch (JwtException ex) {
				if (keysUnreachable(ex)) {
					throw new KeysUnavailable(ex);
				}
				throw ex;
			}
		};
	}

	/**
	 * Sets the bearer-token filter's failure handler: an unavailable identity provider is
	 * answered 503; every other refusal goes to {@code unauthorized} (401), as Spring
	 * Security does.
	 */
	static ObjectPostProcessor<BearerTokenAuthenticationFilter> answering(AuthenticationEntryPoint unauthorized,
			HandlerExceptionResolver problems) {
		AuthenticationFailureHandler refused = new AuthenticationEntryPointFailureHandler(unauthorized);
		return new ObjectPostProcessor<>() {
			@Override
			public <O extends BearerTokenAuthenticationFilter> O postProcess(O filter) {
				filter.setAuthenticationFailureHandler((request, response, ex) -> {
					if (ex instanceof AuthenticationServiceException && ex.getCause() instanceof KeysUnavailable keys) {
						unavailable(request, response, keys, problems);
						return;
					}
					refused.onAuthenticationFailure(request, response, ex);
				});
				return filter;
			}
		};
	}

	private static void unavailable(HttpServletRequest request, HttpServletResponse response, KeysUnavailable keys,
			HandlerExceptionResolver problems) {
		// Not the path: a resumable upload's is a capability, which logs must not keep.
		logger.warn("Identity provider unavailable: a {} was answered 503 ({})", request.getMethod(), keys.reason());
		WriteSecurity.PAGE_HEADERS.forEach((writer) -> writer.writeHeaders(request, response));
		problems.resolveException(request, response, null, ApiProblem.IDENTITY_PROVIDER_UNAVAILABLE.exception());
	}

	private static boolean keysUnreachable(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof KeySourceException || cause instanceof java.io.IOException) {
				return true;
			}
		}
		return false;
	}

	/** The issuer's keys could not be fetched. */
	static final class KeysUnavailable extends JwtException {

		KeysUnavailable(Throwable cause) {
			super("The identity provider's keys cannot be fetched", cause);
		}

		/** The innermost cause, on one line. */
		String reason() {
			Throwable root = this;
			while (root.getCause() != null && root.getCause() != root) {
				root = root.getCause();
			}
			return rootMessage(root);
		}

		private static String rootMessage(@Nullable Throwable root) {
			return (root == null) ? "" : root.toString().replaceAll("\\s+", " ");
		}

	}

}
