package dev.labkafka.browser;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.options.AriaRole;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.labkafka.api.VideoApiApplication;
import dev.labkafka.processes.SyntheticVideos;
import dev.labkafka.localstack.FreePorts;
import dev.labkafka.testsupport.MongoWireServer;
import dev.labkafka.testsupport.MultipartBody;
import dev.labkafka.testsupport.SampleVideos;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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

	static final JsonMapper json = JsonMapper.builder().build();

	@AutoClose
	PagePipeline pipeline;

	/** The arguments that connect an application to the broker and the database. */
	String kafkaServers;

	String mongo;

	String page;

	String apiUrl;

	@AutoClose
	Chromium chromium;

	Browser browser;

	BrowserContext context;

	final List<String> consoleErrors = new CopyOnWriteArrayList<>();

	/** Console errors a test causes on purpose: the browser logs refused requests. */
	final List<Pattern> expectedConsoleErrors = new CopyOnWriteArrayList<>();

	final HttpClient http = HttpClient.newHttpClient();

	@TempDir
	Path files;

	@BeforeAll
	void startThePipelineAndTheBrowser() {
		Chromium.assumeInstalled();
		this.pipeline = PagePipeline.start("--video.stream.transcode-time=1s");
		this.kafkaServers = this.pipeline.kafkaServers;
		this.mongo = this.pipeline.mongo;
		this.page = this.pipeline.page;
		this.apiUrl = this.pipeline.apiUrl;
		this.chromium = Chromium.launch();
		this.browser = this.chromium.browser;
	}

	@BeforeEach
	void newBrowserContext() {
		this.consoleErrors.clear();
		this.expectedConsoleErrors.clear();
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
		assertThat(this.consoleErrors)
			.filteredOn((error) -> this.expectedConsoleErrors.stream().noneMatch((p) -> p.matcher(error).find()))
			.as("console errors (a Content-Security-Policy violation is one)")
			.isEmpty();
	}

	@Test
	void uploadShowsItsProgressAndTheStatusTurnsToSuccessWithoutAReload() throws Exception {
		Path video = this.files.resolve("progress <b>clip.mp4");
		try (var in = SyntheticVideos.mp4(40_000_000)) {
			Files.copy(in, video);
		}
		Page page = this.context.newPage();
		List<String> requests = record(page);
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
		assertThat(page.locator("#upload-message")).hasText("Uploaded progress <b>clip.mp4. Open its page");
		assertThat(page.locator("#upload-message").getByRole(AriaRole.LINK)).hasAttribute("href",
				"/video.html?id=" + row.getAttribute("data-id"));
		// The progress bar is gone once the upload is done.
		assertThat(page.locator("#transfer")).isHidden();
		// With tus: one creation, then the file in 8 MiB chunks (40 MB is five).
		assertThat(requests).filteredOn((request) -> request.startsWith("POST ")).containsExactly("POST /v1/uploads");
		assertThat(requests).filteredOn((request) -> request.startsWith("PATCH /v1/uploads/")).hasSize(5);
		assertThat(resumableUploads(page)).as("the upload's address, kept only until it is done").isZero();

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
		Response created = page.waitForResponse((response) -> isCreation(response.request()),
				() -> page.locator("#file").setInputFiles(video));
		String upload = created.headerValue("Location");
		page.waitForFunction("() => document.getElementById('upload-progress').value > 0");

		Response terminated = page.waitForResponse((response) -> response.request().method().equals("DELETE"),
				() -> page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Cancel")).click());

		assertThat(terminated.status()).isEqualTo(204);
		assertThat(terminated.url()).isEqualTo(this.page + upload);
		assertThat(page.locator("#upload-message")).hasText("Upload of cancelled.mp4 cancelled.");
		assertThat(page.locator("#transfer")).isHidden();
		assertThat(head(upload).statusCode()).as("the terminated upload").isEqualTo(404);
		assertThat(resumableUploads(page)).isZero();
		page.reload();
		assertThat(page.locator("#live")).hasText("Live");
		assertThat(page.locator("li.video", new Page.LocatorOptions().setHasText("cancelled.mp4"))).hasCount(0);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(chunks()).as("the upload's GridFS chunks").isEqualTo(chunksBefore));
	}

	/**
	 * A reload in the middle of an upload: choosing the same file again goes on from the
	 * server's offset, sends only the rest, and makes one video of the whole file.
	 */
	@Test
	void aReloadedPageResumesTheUploadWhereItStopped() throws Exception {
		int size = 20_000_000;
		Path video = this.files.resolve("resumed.mp4");
		try (var in = SyntheticVideos.mp4(size)) {
			Files.copy(in, video);
		}
		this.expectedConsoleErrors.add(Pattern.compile("net::ERR_"));
		Page page = this.context.newPage();
		page.navigate(this.page + "/");
		assertThat(page.locator("#live")).hasText("Live");
		AtomicReference<Response> created = new AtomicReference<>();
		page.onResponse((response) -> {
			if (isCreation(response.request())) {
				created.set(response);
			}
		});
		// The first chunk goes through; every later one breaks off, until the reload.
		AtomicInteger patches = new AtomicInteger();
		page.route("**/v1/uploads/*", (route) -> {
			if (route.request().method().equals("PATCH") && patches.incrementAndGet() > 1) {
				route.abort("connectionreset");
			}
			else {
				route.resume();
			}
		});
		Response firstChunk = page.waitForResponse(
				(response) -> response.request().method().equals("PATCH") && response.status() == 204,
				() -> page.locator("#file").setInputFiles(video));
		page.reload();
		page.unrouteAll();
		assertThat(page.locator("#live")).hasText("Live");

		String upload = created.get().headerValue("Location");
		String id = created.get().headerValue("Video-Id");
		assertThat(id).matches("[0-9a-f]{24}");
		long offset = Long.parseLong(firstChunk.headerValue("Upload-Offset"));
		HttpResponse<Void> before = head(upload);
		assertThat(before.statusCode()).isEqualTo(200);
		assertThat(before.headers().firstValueAsLong("Upload-Offset")).hasValue(offset);
		assertThat(offset).as("the server's offset before the second start").isPositive().isLessThan(size);
		assertThat(resumableUploads(page)).as("the upload's address, kept across the reload").isOne();

		List<String> requests = record(page);
		AtomicLong sent = new AtomicLong();
		page.onRequestFinished((request) -> {
			if (request.method().equals("PATCH")) {
				sent.addAndGet(Long.parseLong(request.allHeaders().get("content-length")));
			}
		});
		page.evaluate("""
				() => {
				  window.said = [];
				  const message = document.getElementById('upload-message');
				  const name = document.getElementById('upload-name');
				  new MutationObserver(() => {
				    [message.textContent, name.textContent].forEach((text) => {
				      if (text && !window.said.includes(text)) window.said.push(text);
				    });
				  }).observe(document.body, { childList: true, subtree: true, characterData: true });
				}""");

		page.locator("#file").setInputFiles(video);

		assertThat(page.locator("li.video[data-id='" + id + "'] .status")).hasText("success");
		int percent = (int) (offset * 100 / size);
		assertThat(page.evaluate("window.said")).asInstanceOf(InstanceOfAssertFactories.LIST)
			.contains("Resuming resumed.mp4 at " + percent + "%")
			.anySatisfy((text) -> assertThat(text.toString()).startsWith("Resuming at " + percent + "%"));
		assertThat(requests).filteredOn((request) -> !request.startsWith("GET "))
			.as("no new upload: its state, then the rest")
			.startsWith("HEAD " + upload, "PATCH " + upload + " at " + offset)
			.noneMatch((request) -> request.startsWith("POST "));
		assertThat(sent.get()).as("bytes sent the second time").isEqualTo(size - offset);
		assertThat(json.readTree(get("/v1/videos/" + id)).get("size").asLong()).isEqualTo(size);
		assertThat(resumableUploads(page)).isZero();
	}

	/**
	 * A connection that drops in the middle of an upload: the page tries again by itself,
	 * from the server's offset (a HEAD, then the rest).
	 */
	@Test
	void aDroppedConnectionIsResumedWithoutTheUser() throws Exception {
		int size = 20_000_000;
		Path video = this.files.resolve("dropped.mp4");
		try (var in = SyntheticVideos.mp4(size)) {
			Files.copy(in, video);
		}
		this.expectedConsoleErrors.add(Pattern.compile("net::ERR_"));
		Page page = this.context.newPage();
		page.navigate(this.page + "/");
		assertThat(page.locator("#live")).hasText("Live");
		List<String> requests = record(page);
		AtomicInteger patches = new AtomicInteger();
		page.route("**/v1/uploads/*", (route) -> {
			if (route.request().method().equals("PATCH") && patches.incrementAndGet() == 2) {
				route.abort("connectionreset");
			}
			else {
				route.resume();
			}
		});

		page.locator("#file").setInputFiles(video);

		assertThat(page.locator("#upload-message")).hasText(Pattern.compile("^Uploaded dropped\\.mp4\\."));
		String upload = requests.stream()
			.filter((request) -> request.startsWith("HEAD "))
			.findFirst()
			.orElseThrow()
			.substring("HEAD ".length());
		int chunk = 8 * 1024 * 1024;
		assertThat(requests).filteredOn((request) -> !request.startsWith("GET "))
			.containsExactly("POST /v1/uploads", "PATCH " + upload + " at 0", "PATCH " + upload + " at " + chunk,
					"HEAD " + upload, "PATCH " + upload + " at " + chunk, "PATCH " + upload + " at " + 2 * chunk);
		String id = page.locator("#upload-message a").getAttribute("href").replace("/video.html?id=", "");
		assertThat(json.readTree(get("/v1/videos/" + id)).get("size").asLong()).isEqualTo(size);
	}

	@Test
	void anUploadCutOffForComingTooSlowlyIsResumedWithoutTheUser() throws Exception {
		int size = 20_000_000;
		Path video = this.files.resolve("slow.mp4");
		try (var in = SyntheticVideos.mp4(size)) {
			Files.copy(in, video);
		}
		this.expectedConsoleErrors.add(Pattern.compile("408"));
		Page page = this.context.newPage();
		page.navigate(this.page + "/");
		assertThat(page.locator("#live")).hasText("Live");
		List<String> requests = record(page);
		AtomicInteger patches = new AtomicInteger();
		// The API's answer to a body under the minimum rate, for the second chunk.
		page.route("**/v1/uploads/*", (route) -> {
			if (route.request().method().equals("PATCH") && patches.incrementAndGet() == 2) {
				route.fulfill(new Route.FulfillOptions().setStatus(408)
					.setContentType("application/problem+json")
					.setBody("{\"title\":\"Upload too slow\",\"status\":408}"));
			}
			else {
				route.resume();
			}
		});

		page.locator("#file").setInputFiles(video);

		assertThat(page.locator("#upload-message")).hasText(Pattern.compile("^Uploaded slow\\.mp4\\."));
		String upload = requests.stream()
			.filter((request) -> request.startsWith("HEAD "))
			.findFirst()
			.orElseThrow()
			.substring("HEAD ".length());
		int chunk = 8 * 1024 * 1024;
		assertThat(requests).filteredOn((request) -> !request.startsWith("GET "))
			.containsExactly("POST /v1/uploads", "PATCH " + upload + " at 0", "PATCH " + upload + " at " + chunk,
					"HEAD " + upload, "PATCH " + upload + " at " + chunk, "PATCH " + upload + " at " + 2 * chunk);
	}

	/**
	 * With writes protected (a JWT signed by a key the API trusts): an upload without a
	 * token shows the 401 problem and opens the token control; a token without the scope
	 * gets the 403 problem; with the right token the upload succeeds. Delete on the
	 * video's page asks for a token in the same way.
	 */
	@Test
	void withSecurityOnThePageAsksForATokenAndSendsIt() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		KeyPair keys = generator.generateKeyPair();
		Path publicKey = this.files.resolve("issuer.pem");
		Files.writeString(publicKey,
				"-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
					.encodeToString(keys.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
		int browserPort = FreePorts.next();
		this.expectedConsoleErrors.add(Pattern.compile("status of 40[13]"));
		try (ConfigurableApplicationContext secured = VideoApiApplication.application()
			.run(this.kafkaServers, this.mongo, "--server.port=0", "--video.api.browser-port=" + browserPort,
					"--spring.security.oauth2.resourceserver.jwt.public-key-location=file:" + publicKey)) {
			String origin = "http://localhost:" + browserPort;
			Path video = Files.write(this.files.resolve("secured.mp4"), SampleVideos.mp4());
			Page page = this.context.newPage();
			page.navigate(origin + "/");
			assertThat(page.locator("#live")).hasText("Live");
			assertThat(page.locator("#token-box")).not().hasAttribute("open", "");

			Response refused = page.waitForResponse((response) -> isCreation(response.request()),
					() -> page.locator("#file").setInputFiles(video));

			assertThat(refused.status()).isEqualTo(401);
			assertThat(refused.headerValue("WWW-Authenticate")).startsWith("Bearer");
			String detail = json.readTree(refused.text()).get("detail").asString();
			assertThat(page.locator("#upload-message")).containsText(detail);
			assertThat(page.locator("#token-box")).hasAttribute("open", "");
			assertThat(page.locator("#token-state")).containsText("videos:write");
			assertThat(page.getByLabel("Bearer token")).isFocused();

			page.getByLabel("Bearer token").fill(token(keys, "videos:read"));
			page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save")).click();
			assertThat(page.locator("#token-summary")).hasText("saved");
			Response forbidden = page.waitForResponse((response) -> isCreation(response.request()),
					() -> page.locator("#file").setInputFiles(video));
			assertThat(forbidden.status()).isEqualTo(403);
			assertThat(page.locator("#upload-message"))
				.containsText(json.readTree(forbidden.text()).get("detail").asString());
			assertThat(page.locator("#token-state")).containsText("does not have the scope videos:write");

			page.getByLabel("Bearer token").fill(token(keys, "videos:write"));
			page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save")).click();
			page.locator("#file").setInputFiles(video);

			assertThat(page.locator("#upload-message")).hasText(Pattern.compile("^Uploaded secured\\.mp4\\."));
			String id = page.locator("#upload-message a").getAttribute("href").replace("/video.html?id=", "");
			assertThat(page.locator("li.video[data-id='" + id + "'] .status")).hasText("success");

			// A token is kept per tab: the video's page, in a new tab, asks again.
			Page view = this.context.newPage();
			view.navigate(origin + "/video.html?id=" + id);
			assertThat(view.locator("#status")).hasText("success");
			assertThat(view.locator("#token-summary")).hasText("none");
			view.onDialog((dialog) -> dialog.accept());
			Response unauthorized = view.waitForResponse((response) -> response.request().method().equals("DELETE"),
					() -> view.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete")).click());
			assertThat(unauthorized.status()).isEqualTo(401);
			assertThat(view.locator("#message"))
				.containsText(json.readTree(unauthorized.text()).get("detail").asString());
			assertThat(view.locator("#token-box")).hasAttribute("open", "");
			view.getByLabel("Bearer token").fill(token(keys, "videos:write"));
			view.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save")).click();
			view.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete")).click();
			view.waitForURL(origin + "/");
			view.close();
			page.close();
			assertThat(this.http
				.send(HttpRequest.newBuilder(URI.create(this.apiUrl + "/v1/videos/" + id)).build(),
						HttpResponse.BodyHandlers.discarding())
				.statusCode()).isEqualTo(404);
		}
	}

	/** An RS256 JWT signed with the issuer's key, valid for ten minutes. */
	private static String token(KeyPair keys, String scope) throws Exception {
		Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
		Instant now = Instant.now();
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("sub", "browser-tests");
		claims.put("scope", scope);
		claims.put("iat", now.getEpochSecond());
		claims.put("exp", now.plusSeconds(600).getEpochSecond());
		String content = base64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
				+ "." + base64.encodeToString(json.writeValueAsBytes(claims));
		Signature signature = Signature.getInstance("SHA256withRSA");
		signature.initSign(keys.getPrivate());
		signature.update(content.getBytes(StandardCharsets.US_ASCII));
		return content + "." + base64.encodeToString(signature.sign());
	}

	private static boolean isCreation(Request request) {
		return request.method().equals("POST") && request.url().endsWith("/v1/uploads");
	}

	/**
	 * The page's API requests as they are sent: method and path, and a PATCH's
	 * Upload-Offset.
	 */
	private static List<String> record(Page page) {
		List<String> requests = new CopyOnWriteArrayList<>();
		page.onRequest((request) -> {
			String path = URI.create(request.url()).getPath();
			if (path.startsWith("/v1/")) {
				String offset = request.method().equals("PATCH") ? " at " + request.headers().get("upload-offset") : "";
				requests.add(request.method() + " " + path + offset);
			}
		});
		return requests;
	}

	/** How many uploads the page keeps the address of, to resume them. */
	private static int resumableUploads(Page page) {
		return ((Number) page.evaluate("Object.keys(localStorage).filter((key) => key.startsWith('tus::')).length"))
			.intValue();
	}

	private HttpResponse<Void> head(String upload) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(this.apiUrl + upload))
			.method("HEAD", HttpRequest.BodyPublishers.noBody())
			.header("Tus-Resumable", "1.0.0")
			.build(), HttpResponse.BodyHandlers.discarding());
	}

	private String get(String path) throws Exception {
		return this.http
			.send(HttpRequest.newBuilder(URI.create(this.apiUrl + path)).build(), HttpResponse.BodyHandlers.ofString())
			.body();
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
		assertThat(page.getByLabel("Quality")).isVisible();
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
