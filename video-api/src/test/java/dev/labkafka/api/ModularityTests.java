package dev.labkafka.api;

import java.io.IOException;

import dev.labkafka.testsupport.ModuleDocs;
import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModules;

/**
 * The API's modules: one per concern, each a direct package of {@code dev.labkafka.api},
 * using the others only through their public types and without cycles, as Spring Modulith
 * checks; and their diagrams in {@code docs/modules/video-api}, as the code draws them.
 */
class ModularityTests {

	static final ApplicationModules modules = ApplicationModules.of(VideoApiApplication.class);

	@Test
	void keepsItsModulesApart() {
		modules.verify();
	}

	@Test
	void documentsItsModulesAsTheCodeHasThem() throws IOException {
		new ModuleDocs(modules, "video-api").checkOrWrite();
	}

}
