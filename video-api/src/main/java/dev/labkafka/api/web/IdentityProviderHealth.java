package dev.labkafka.api.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.text.ParseException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.JSONObjectUtils;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.health.actuate.endpoint.AdditionalHealthEndpointPath;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Whether the identity provider's keys can be fetched, as health
 * ({@code identityProvider}) and part of readiness: while they cannot, writes cannot be
 * checked (they get 503, {@link IdentityProvider}), so the instance is not ready. Only
 * when the keys come from the provider ({@code issuer-uri} or {@code jwk-set-uri}): a
 * local public key, or open writes, need nothing. The discovery document
 * ({@code <issuer>/.well-known/openid-configuration}, then RFC 8414's
 * {@code /.well-known/oauth-authorization-server}) and the key set are read with short
 * timeouts, at most once every {@link #REMEMBERED}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${spring.security.oauth2.resourceserver.jwt.issuer-uri:}' != '' "
		+ "or '${spring.security.oauth2.resourceserver.jwt.jwk-set-uri:}' != ''")
class IdentityProviderHealth {

	/** The contributor's name, in health and in the readiness group. */
	static final String NAME = "identityProvider";

	private static final Duration TIMEOUT = Duration.ofSeconds(2);

	/** How long a check's answer is kept. */
	static final Duration REMEMBERED = Duration.ofSeconds(5);

	@Bean(NAME)
	HealthIndicator identityProvider(OAuth2ResourceServerProperties properties) {
		HttpClient http = HttpClient.newBuilder()
			.connectTimeout(TIMEOUT)
			.followRedirects(HttpClient.Redirect.NORMAL)
			.build();
		OAuth2ResourceServerProperties.Jwt jwt = properties.getJwt();
		return new Remembered(() -> {
			try {
				URI keys = (jwt.getJwkSetUri() != null) ? URI.create(jwt.getJwkSetUri())
						: keySetOf(http, jwt.getIssuerUri());
				int count = JWKSet.parse(get(http, keys)).getKeys().size();
				return (count > 0) ? Health.up().withDetail("keys", count).build()
						: Health.down().withDetail("error", "the key set is empty").build();
			}
			catch (IOException | ParseException | RuntimeException ex) {
				return Health.down().withDetail("error", ex.toString()).build();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return Health.unknown().build();
			}
		});
	}

	/**
	 * A check's answer, kept for {@link #REMEMBERED}: however often readiness is asked
	 * (probes, anyone who can reach {@code /readyz}), the provider is asked at most once
	 * in that time, and one check at a time.
	 */
	static final class Remembered implements HealthIndicator {

		private final HealthIndicator check;

		private @Nullable Health last;

		private long checkedAt;

		Remembered(HealthIndicator check) {
			this.check = check;
		}

		@Override
		public synchronized @Nullable Health health() {
			long now = System.nanoTime();
			if (this.last == null || now - this.checkedAt >= REMEMBERED.toNanos()) {
				this.last = this.check.health();
				this.checkedAt = now;
			}
			return this.last;
		}

	}

	/** Readiness includes the identity provider, when there is one to include. */
	@Bean
	HealthEndpointGroupsPostProcessor identityProviderInReadiness() {
		return (groups) -> {
			Map<String, HealthEndpointGroup> named = new LinkedHashMap<>();
			for (String name : groups.getNames()) {
				HealthEndpointGroup group = groups.get(name);
				named.put(name, name.equals("readiness") ? new AlsoMember(group) : group);
			}
			return HealthEndpointGroups.of(groups.getPrimary(), named);
		};
	}

	private static URI keySetOf(HttpClient http, @Nullable String issuer)
			throws IOException, InterruptedException, ParseException {
		if (issuer == null) {
			throw new IllegalStateException("no issuer-uri");
		}
		String trimmed = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
		URI oidc = URI.create(trimmed + "/.well-known/openid-configuration");
		URI rfc8414 = URI.create(trimmed)
			.resolve("/.well-known/oauth-authorization-server" + URI.create(trimmed).getPath());
		IOException first = null;
		for (URI discovery : new URI[] { oidc, rfc8414 }) {
			try {
				Object keys = JSONObjectUtils.parse(get(http, discovery)).get("jwks_uri");
				if (keys instanceof String uri) {
					return URI.create(uri);
				}
			}
			catch (IOException ex) {
				first = (first != null) ? first : ex;
			}
		}
		throw (first != null) ? first : new IOException("no jwks_uri in the issuer's discovery document");
	}

	private static String get(HttpClient http, URI uri) throws IOException, InterruptedException {
		var response = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).build(), BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IOException(uri + " answered " + response.statusCode());
		}
		return response.body();
	}

	/** The readiness group as configured, with the identity provider as a member too. */
	private record AlsoMember(HealthEndpointGroup group) implements HealthEndpointGroup {

		@Override
		public boolean isMember(String name) {
			return NAME.equals(name) || this.group.isMember(name);
		}

		@Override
		public boolean showComponents(SecurityContext securityContext) {
			return this.group.showComponents(securityContext);
		}

		@Override
		public boolean showDetails(SecurityContext securityContext) {
			return this.group.showDetails(securityContext);
		}

		@Override
		public StatusAggregator getStatusAggregator() {
			return this.group.getStatusAggregator();
		}

		@Override
		public HttpCodeStatusMapper getHttpCodeStatusMapper() {
			return this.group.getHttpCodeStatusMapper();
		}

		@Override
		public @Nullable AdditionalHealthEndpointPath getAdditionalPath() {
			return this.group.getAdditionalPath();
		}

	}

}
