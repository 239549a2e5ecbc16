package dev.labkafka.browser;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.labkafka.api.VideoApiApplication;
import dev.labkafka.processes.SyntheticVideos;
import dev.labkafka.stream.VideoStreamApplication;
import dev.labkafka.testsupport.FreePorts;
import dev.labkafka.testsupport.MongoWireServer;
import dev.labkafka.testsupport.MultipartBody;
import dev.labkafka.testsupport.SampleVideos;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.kafka.test.utils.ContainerTestUtils;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The web page in Debian's Chromium, driven by Playwright, on the whole pipeline in this
 * JVM (both services, an embedded Kafka broker, the MongoDB-wire server) with the mock
 * transcoder at one second: what a person sees on {@code http://localhost:8080/}.
 * <p>
 * Without Chromium at {@code /usr/bin/chromium} the tests are skipped, unless
 * {@code BROWSER_TESTS=required} (as in CI), when they fail.
 */
@TestInstance(Lifecycle.PER_CLASS)
class WebPageBrowserTests {

	static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	static final JsonMapper json = JsonMapper.builder().build();

	EmbeddedKafkaKraftBroker kafka;

	ConfigurableApplicationContext stream;

	ConfigurableApplicationContext api;

	String page;

	String apiUrl;

	Playwright playwright;

	Browser browser;

	BrowserContext context;

	final List<String> consoleErrors = new CopyOnWriteArrayList<>();

	final HttpClient http = HttpClient.newHttpClient();

	@TempDir
	Path files;

	@BeforeAll
	void startThePipelineAndTheBrowser() {
		assumeTrue(Files.isExecutable(CHROMIUM) || "required".equals(System.getenv("BROWSER_TESTS")),
				"Chromium is not installed at " + CHROMIUM);
		this.kafka = new EmbeddedKafkaKraftBroker(1, 1);
		this.kafka.brokerProperties(
				Map.of("transaction.state.log.replication.factor", "1", "transaction.state.log.min.isr", "1"));
		this.kafka.afterPropertiesSet();
		String kafkaServers = "--spring.kafka.bootstrap-servers=" + this.kafka.getBrokersAsString();
		String mongo = "--spring.mongodb.uri=" + MongoWireServer.shared().uri();
		this.stream = VideoStreamApplication.application()
			.run(kafkaServers, mongo, "--server.port=0", "--video.stream.transcode-time=1s");
		int browserPort = FreePorts.next();
		this.api = VideoApiApplication.application()
			.run(kafkaServers, mongo, "--server.port=0", "--video.api.browser-port=" + browserPort);
		this.page = "http://localhost:" + browserPort;
		this.apiUrl = "http://localhost:" + this.api.getEnvironment().getProperty("local.server.port");
		KafkaListenerEndpointRegistry listeners = this.stream.getBean(KafkaListenerEndpointRegistry.class);
		ContainerTestUtils.waitForAssignment(listeners.getListenerContainer("fan-out"), 6);
		ContainerTestUtils.waitForAssignment(listeners.getListenerContainer("renditions"), 24);

		this.playwright = Playwright
			.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
		this.browser = this.playwright.chromium()
			.launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM)
				.setHeadless(true)
				.setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
						"--autoplay-policy=no-user-gesture-required")));
		PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
	}

	@AfterAll
	void stopEverything() {
		if (this.browser != null) {
			this.browser.close();
		}
		if (this.playwright != null) {
			this.playwright.close();
		}
		if (this.api != null) {
			this.api.close();
		}
		if (this.stream != null) {
			this.stream.close();
		}
		if (this.kafka != null) {
			this.kafka.destroy();
		}
	}

	@BeforeEach
	void newBrowserContext() {
		this.consoleErrors.clear();
		this.context = this.browser.newContext(new Browser.NewContextOptions().setViewportSize(1100, 760));
		this.context.onPage((page) -> page.onConsoleMessage((message) -> {
			if (message.type().equals("error")) {
				this.consoleErrors.add(message.text());
			}
		}));
	}

	@AfterEach
	void noErrorsInTheConsole() {
		this.context.close();
		assertThat(this.consoleErrors).as("console errors (a Content-Security-Policy violation is one)").isEmpty();
	}

	@Test
	void uploadShowsItsProgressAndTheStatusTurnsToSuccessWithoutAReload() throws Exception {
		Path video = this.files.resolve("progress <b>clip.mp4");
		try (var in = SyntheticVideos.mp4(40_000_000)) {
			Files.copy(in, video);
		}
		Page page = this.context.newPage();
		page.navigate(this.page + "/");
		assertThat(page.locator("#live")).hasText("Live");
		// What the page shows over time, without a reload (the marker would be gone).
		page.evaluate("""
				() => {
				  window.marker = 'not reloaded';
				  window.seen = { shown: false, max: 0, figures: [], statuses: [] };
				  const transfer = document.getElementById('transfer');
				  const bar = document.getElementById('upload-progress');
				  const figures = document.getElementById('upload-figures');
				  new MutationObserver(() => {
				    if (!transfer.hidden) window.seen.shown = true;
				    window.seen.max = Math.max(window.seen.max, bar.value);
				    if (figures.textContent) window.seen.figures.push(figures.textContent);
				    document.querySelectorAll('li.video .status').forEach((s) => {
				      if (!window.seen.statuses.includes(s.textContent)) window.seen.statuses.push(s.textContent);
				    });
				  }).observe(document.body, { attributes: true, childList: true, subtree: true, characterData: true });
				}""");

		page.locator("#file").setInputFiles(video);

		Locator row = page.locator("li.video", new Page.LocatorOptions().setHasText("progress <b>clip.mp4"));
		assertThat(row.locator(".status")).hasText("success");
		assertThat(row.locator("b")).hasCount(0);
		assertThat(page.evaluate("window.marker")).isEqualTo("not reloaded");
		@SuppressWarnings("unchecked")
		Map<String, Object> seen = (Map<String, Object>) page.evaluate("window.seen");
		assertThat(seen.get("shown")).as("the progress bar was shown").isEqualTo(true);
		assertThat(((Number) seen.get("max")).intValue()).isEqualTo(100);
		assertThat((List<?>) seen.get("figures"))
			.anySatisfy((text) -> assertThat(text.toString()).matches("\\d+% · .+/s"));
		assertThat((List<?>) seen.get("statuses"))
			.anySatisfy((text) -> assertThat(text.toString()).startsWith("encoding"));
		assertThat(page.locator("#upload-message")).hasText("Uploaded progress <b>clip.mp4.");
		// The progress bar is gone once the upload is done.
		assertThat(page.locator("#transfer")).isHidden();

		String screenshot = System.getProperty("screenshot", "");
		if (!screenshot.isBlank()) {
			page.screenshot(new Page.ScreenshotOptions().setPath(Path.of(screenshot)));
		}
	}

	@Test
	void cancelStopsAnUploadAndNothingOfItIsKept() throws Exception {
		Path video = this.files.resolve("cancelled.mp4");
		try (var in = SyntheticVideos.mp4(400_000_000)) {
			Files.copy(in, video);
		}
		long chunksBefore = chunks();
		Page page = this.context.newPage();
		page.navigate(this.page + "/");
		page.locator("#file").setInputFiles(video);
		page.waitForFunction("() => document.getElementById('upload-progress').value > 0");

		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Cancel")).click();

		assertThat(page.locator("#upload-message")).hasText("Upload of cancelled.mp4 cancelled.");
		assertThat(page.locator("#transfer")).isHidden();
		page.reload();
		assertThat(page.locator("#live")).hasText("Live");
		assertThat(page.locator("li.video", new Page.LocatorOptions().setHasText("cancelled.mp4"))).hasCount(0);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(chunks()).as("the upload's GridFS chunks").isEqualTo(chunksBefore));
	}

	private static long chunks() {
		try (MongoClient mongo = MongoClients.create(MongoWireServer.shared().uri())) {
			return mongo.getDatabase(MongoWireServer.DATABASE).getCollection("fs.chunks").countDocuments();
		}
	}

	@Test
	void theKeyboardAloneUploadsAVideo() throws Exception {
		Path video = Files.write(this.files.resolve("keyboard.mp4"), SampleVideos.mp4());
		Page page = this.context.newPage();
		// The file chooser is intercepted from the start: asking for it only around the
		// key
		// press races with the browser opening it.
		page.onFileChooser((chooser) -> chooser.setFiles(video));
		page.navigate(this.page + "/");
		for (int i = 0; i < 10 && !"file".equals(page.evaluate("document.activeElement.id")); i++) {
			page.keyboard().press("Tab");
		}
		assertThat(page.evaluate("document.activeElement.id")).isEqualTo("file");
		assertThat(page.evaluate("getComputedStyle(document.activeElement).outlineStyle")).as("the focus is visible")
			.isNotEqualTo("none");

		page.keyboard().press("Space");

		assertThat(page.locator("li.video", new Page.LocatorOptions().setHasText("keyboard.mp4")).locator(".status"))
			.hasText("success");
	}

	@Test
	void thePlayerPlaysTheVideo() throws Exception {
		String id = uploadAndWait("play.mp4");
		Page page = this.context.newPage();
		page.navigate(this.page + "/video.html?id=" + id);
		assertThat(page.locator("#status")).hasText("success");
		assertThat(page.getByLabel("Rendition")).isVisible();
		page.evaluate("async () => { const video = document.getElementById('player'); video.muted = true; "
				+ "await video.play(); }");
		page.waitForFunction("() => document.getElementById('player').currentTime > 1");
	}

	@Test
	void aFailedVideoShowsItsErrorAndRetryMakesItSucceed() throws Exception {
		String id = uploadAndWait("to-fail.mp4");
		fail(id, "Rendition 1080 failed: <script>gave up</script>");
		Page page = this.context.newPage();
		page.navigate(this.page + "/");
		Locator row = page.locator("li.video[data-id='" + id + "']");
		assertThat(row.locator(".status")).hasText("failed");
		assertThat(row.locator(".error")).hasText("Rendition 1080 failed: <script>gave up</script>");

		row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Retry to-fail.mp4")).click();

		assertThat(row.locator(".status")).hasText("success");
		assertThat(row.locator(".error")).hasCount(0);
	}

	@Test
	void aVideosPageFollowsItLive() throws Exception {
		String id = uploadAndWait("followed.mp4");
		fail(id, "Rendition 1080 failed: gave up");
		Page page = this.context.newPage();
		page.navigate(this.page + "/video.html?id=" + id);
		assertThat(page.locator("#status")).hasText("failed");
		assertThat(page.locator("#error")).hasText("Rendition 1080 failed: gave up");

		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Retry")).click();

		assertThat(page.locator("#status")).hasText("success");
		assertThat(page.locator("#error")).isHidden();
		assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Retry"))).isHidden();
	}

	@Test
	void deleteAsksFirstThenRemovesTheVideoFromEveryList() throws Exception {
		String id = uploadAndWait("to-delete.mp4");
		Page list = this.context.newPage();
		list.navigate(this.page + "/");
		assertThat(list.locator("li.video[data-id='" + id + "']")).hasCount(1);

		Page view = this.context.newPage();
		view.navigate(this.page + "/video.html?id=" + id);
		assertThat(view.locator("#status")).hasText("success");
		view.onceDialog((dialog) -> dialog.dismiss());
		view.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete")).click();
		assertThat(view.locator("#status")).hasText("success");
		view.onceDialog((dialog) -> {
			assertThat(dialog.message()).contains("to-delete.mp4");
			dialog.accept();
		});
		view.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete")).click();

		view.waitForURL(this.page + "/");
		assertThat(view.locator("li.video[data-id='" + id + "']")).hasCount(0);
		assertThat(list.locator("li.video[data-id='" + id + "']")).hasCount(0);
		HttpResponse<String> gone = this.http.send(
				HttpRequest.newBuilder(URI.create(this.apiUrl + "/v1/videos/" + id)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(gone.statusCode()).isEqualTo(404);
	}

	/**
	 * Makes a video that succeeded look as if its last rendition had failed, as the
	 * worker leaves it when it gives up: a retry makes that one again.
	 */
	private static void fail(String id, String error) {
		try (MongoClient mongo = MongoClients.create(MongoWireServer.shared().uri())) {
			mongo.getDatabase(MongoWireServer.DATABASE)
				.getCollection("videos")
				.updateOne(Filters.eq("_id", new ObjectId(id)), Updates.combine(Updates.set("status", "failed"),
						Updates.set("error", error), Updates.unset("variants.1080")));
		}
	}

	/** Uploads the sample over the API and waits until its renditions are done. */
	private String uploadAndWait(String name) throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(URI.create(this.apiUrl + "/v1/videos"))
			.header("Content-Type", MultipartBody.CONTENT_TYPE)
			.POST(HttpRequest.BodyPublishers.ofByteArray(MultipartBody.file(name, SampleVideos.mp4())))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(201);
		String id = json.readTree(response.body()).get("id").asString();
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			String video = this.http
				.send(HttpRequest.newBuilder(URI.create(this.apiUrl + "/v1/videos/" + id)).build(),
						HttpResponse.BodyHandlers.ofString())
				.body();
			assertThat(json.readTree(video).get("status").asString()).isEqualTo("success");
		});
		return id;
	}

}
