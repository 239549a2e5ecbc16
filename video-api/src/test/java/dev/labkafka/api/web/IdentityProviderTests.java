package dev.labkafka.api.web;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.source.MutuallyExclusiveConfigurationPropertiesException;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

class IdentityProviderTests {

	@Test
	void refusesToStartWithBothAnIssuerAndALocalPublicKey() {
		OAuth2ResourceServerProperties both = new OAuth2ResourceServerProperties();
		both.getJwt().setIssuerUri("https://idp.example.com/realms/videos");
		both.getJwt().setPublicKeyLocation(new ClassPathResource("dev-key.pub.pem"));

		assertThatExceptionOfType(MutuallyExclusiveConfigurationPropertiesException.class)
			.isThrownBy(() -> IdentityProvider.refuseTwoKeySources(both))
			.satisfies((ex) -> assertThat(ex.getConfiguredNames()).containsExactlyInAnyOrder(
					"spring.security.oauth2.resourceserver.jwt.issuer-uri",
					"spring.security.oauth2.resourceserver.jwt.public-key-location"));
	}

	@Test
	void startsWithEitherAlone() {
		OAuth2ResourceServerProperties issuer = new OAuth2ResourceServerProperties();
		issuer.getJwt().setIssuerUri("https://idp.example.com/realms/videos");
		OAuth2ResourceServerProperties key = new OAuth2ResourceServerProperties();
		key.getJwt().setPublicKeyLocation(new ClassPathResource("dev-key.pub.pem"));

		assertThatNoException().isThrownBy(() -> IdentityProvider.refuseTwoKeySources(issuer));
		assertThatNoException().isThrownBy(() -> IdentityProvider.refuseTwoKeySources(key));
		assertThatNoException()
			.isThrownBy(() -> IdentityProvider.refuseTwoKeySources(new OAuth2ResourceServerProperties()));
	}

}
