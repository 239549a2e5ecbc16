package dev.labkafka.api;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModules;

class ModularityTests {

	@Test
	void verifies() {
		ApplicationModules modules = ApplicationModules.of(VideoApiApplication.class);
		modules.forEach(System.out::println);
		modules.verify();
	}

}
