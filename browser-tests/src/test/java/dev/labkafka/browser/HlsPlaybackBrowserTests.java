package dev.labkafka.browser;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.labkafka.testsupport.MultipartBody;
import dev.labkafka.testsupport.TestClips;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The video page plays a streamed video's master playlist with hls.js in Chromium, on the
 * whole pipeline with the ffmpeg transcoder: a 720p original gets three levels (360p,
 * 480p, 720p), the quality menu offers Auto and each of them, and forcing the lowest and
 * the highest switches the picture while it keeps playing. ffprobe and ffmpeg read the
 * same playlists over HTTP.
 */
@TestInstance(Lifecycle.PER_CLASS)
class HlsPlaybackBrowserTests {

	static final JsonMapper json = JsonMapper.builder().build();

	@AutoClose
	PagePipeline pipeline;

	@AutoClose
	Chromium chromium;

	final HttpClient http = HttpClient.newHttpClient();

	@TempDir
	Path files;

	@BeforeAll
	void startThePipelineAndTheBrowser() {
		Chromium.assumeInstalled();
		assumeTrue(TestClips.ffmpegInstalled() || "required".equals(System.getenv("BROWSER_TESTS")),
				"ffmpeg is not installed");
		this.pipeline = PagePipeline.start("--video.stream.transcoder=ffmpeg");
		this.chromium = Chromium.launch();
	}

	@Test
	void playsTheMasterPlaylistAndSwitchesToTheLowestAndTheHighestLevelWhilePlaying() throws Exception {
		String id = uploadAndWaitForEveryLevel(TestClips.make(this.files, 1280, 720, 8, true));
		List<String> consoleErrors = new CopyOnWriteArrayList<>();
		try (BrowserContext context = this.chromium.browser.newContext()) {
			context.onPage((page) -> page.onConsoleMessage((message) -> {
				if (message.type().equals("error")) {
					consoleErrors.add(message.text());
				}
			}));
			Page page = context.newPage();
			page.navigate(this.pipeline.page + "/video.html?id=" + id);

			Locator quality = page.getByLabel("Quality");
			assertThat(quality.locator("option")).hasText(new String[] { "Auto", "720p", "480p", "360p" });
			assertThat(quality).hasValue("auto");
			page.evaluate("async () => { const video = document.getElementById('player'); video.muted = true; "
					+ "await video.play(); }");
			page.waitForFunction("() => document.getElementById('player').currentTime > 1");
			assertThat((String) page.evaluate("() => document.getElementById('player').currentSrc"))
				.as("played through Media Source Extensions")
				.startsWith("blob:");

			keepsPlayingAt(page, quality, "360p", 360);
			keepsPlayingAt(page, quality, "720p", 720);
		}
		assertThat(consoleErrors).as("console errors (a Content-Security-Policy violation is one)").isEmpty();
	}

	@Test
	void ffprobeSeesEveryLevelAndFfmpegCopiesTheWholeVideoOutOfAMediaPlaylist() throws Exception {
		String id = uploadAndWaitForEveryLevel(TestClips.make(this.files, 1280, 720, 4, true));
		String hls = this.pipeline.apiUrl + "/v1/videos/" + id + "/hls/";

		// Clients nobody here wrote, over HTTP as any user runs them.
		assertThat(run("ffprobe", "-v", "error", "-select_streams", "v", "-show_entries", "stream=height", "-of",
				"csv=p=0", hls + "master.m3u8")
			.lines()
			.filter((line) -> line.matches("\\d+"))
			.map(Integer::valueOf)
			.distinct()
			.sorted()).containsExactly(360, 480, 720);
		Path copy = this.files.resolve("copy.mp4");
		run("ffmpeg", "-nostdin", "-v", "error", "-i", hls + "720.m3u8", "-c", "copy", copy.toString());
		assertThat(TestClips.probe(copy.toString()).duration()).isCloseTo(4, within(0.1));
	}

	private static String run(String... command) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
		return output;
	}

	/** Forces a level: the picture becomes that tall, and time goes on. */
	private static void keepsPlayingAt(Page page, Locator quality, String label, int height) {
		quality.selectOption(label);
		page.waitForFunction("(height) => document.getElementById('player').videoHeight === height", height,
				new Page.WaitForFunctionOptions().setTimeout(30_000));
		double at = ((Number) page.evaluate("() => document.getElementById('player').currentTime")).doubleValue();
		page.waitForFunction("(at) => { const video = document.getElementById('player'); "
				+ "return !video.paused && video.currentTime > at + 0.5 || video.ended; }", at);
	}

	/** Uploads over the API and waits until it is done, with a master playlist. */
	private String uploadAndWaitForEveryLevel(Path clip) throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest
			.newBuilder(URI.create(this.pipeline.apiUrl + "/v1/videos"))
			.header("Content-Type", MultipartBody.CONTENT_TYPE)
			.POST(HttpRequest.BodyPublishers.ofByteArray(MultipartBody.file("ladder.mp4", Files.readAllBytes(clip))))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(201);
		String id = json.readTree(response.body()).get("id").asString();
		await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
			JsonNode video = json.readTree(
					this.http
						.send(HttpRequest.newBuilder(URI.create(this.pipeline.apiUrl + "/v1/videos/" + id)).build(),
								HttpResponse.BodyHandlers.ofString())
						.body());
			assertThat(video.get("status").asString()).isEqualTo("success");
			assertThat(video.get("hls").isNull()).as("hls").isFalse();
		});
		return id;
	}

}
