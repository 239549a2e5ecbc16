package dev.labkafka.browser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's Chromium, headless, driven by Playwright (which downloads no browser), allowed
 * to play media without a gesture. Without Chromium at {@link #EXECUTABLE} the tests that
 * need it are skipped, unless {@code BROWSER_TESTS=required} (as in CI), when they fail.
 */
final class Chromium implements AutoCloseable {

	static final Path EXECUTABLE = Path.of("/usr/bin/chromium");

	private final Playwright playwright;

	final Browser browser;

	private Chromium() {
		this.playwright = Playwright
			.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
		this.browser = this.playwright.chromium()
			.launch(new BrowserType.LaunchOptions().setExecutablePath(EXECUTABLE)
				.setHeadless(true)
				.setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
						"--autoplay-policy=no-user-gesture-required")));
		PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
	}

	/** Skips the test class unless Chromium is installed or required. */
	static void assumeInstalled() {
		assumeTrue(Files.isExecutable(EXECUTABLE) || "required".equals(System.getenv("BROWSER_TESTS")),
				"Chromium is not installed at " + EXECUTABLE);
	}

	static Chromium launch() {
		return new Chromium();
	}

	@Override
	public void close() {
		this.browser.close();
		this.playwright.close();
	}

}
