package dev.labkafka.stream;

import java.io.IOException;

import dev.labkafka.testsupport.ModuleDocs;
import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worker's feature modules keep to their boundaries (Spring Modulith, on the compiled
 * main classes): no module uses another's types but the public ones of its package, no
 * module depends on one that its {@code package-info} does not allow, and no dependencies
 * go round in a cycle; and their diagrams in {@code docs/modules/video-stream}, as the
 * code draws them.
 */
class ModularityTests {

	static final ApplicationModules modules = ApplicationModules.of(VideoStreamApplication.class);

	@Test
	void modulesKeepToTheirBoundaries() {
		modules.verify();
	}

	@Test
	void documentsItsModulesAsTheCodeHasThem() throws IOException {
		new ModuleDocs(modules, "video-stream").checkOrWrite();
	}

	@Test
	void everyFeatureIsAModule() {
		assertThat(modules.stream().map(ApplicationModule::getName)).containsExactlyInAnyOrder("fanout", "rendition",
				"probe", "media", "progress", "messaging", "deletion", "packaging", "segment", "originals");
	}

}
