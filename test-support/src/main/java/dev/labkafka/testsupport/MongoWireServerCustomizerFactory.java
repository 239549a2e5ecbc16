package dev.labkafka.testsupport;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Points the application of an {@link EmbeddedInfrastructure} test at the shared
 * {@link MongoWireServer} ({@code spring.mongodb.uri}, over the application's own
 * configuration files). Registered in {@code META-INF/spring.factories}.
 */
class MongoWireServerCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		if (!TestContextAnnotationUtils.hasAnnotation(testClass, EmbeddedInfrastructure.class)) {
			return null;
		}
		return new MongoWireServerCustomizer();
	}

	/** The same for every test class, so that their contexts can be cached together. */
	private static final class MongoWireServerCustomizer implements ContextCustomizer {

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
			context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("mongoWireServer",
						Map.of("spring.mongodb.uri", MongoWireServer.shared().uri())));
		}

		@Override
		public boolean equals(@Nullable Object other) {
			return other instanceof MongoWireServerCustomizer;
		}

		@Override
		public int hashCode() {
			return MongoWireServerCustomizer.class.hashCode();
		}

	}

}
