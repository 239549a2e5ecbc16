package dev.labkafka.browser;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import dev.labkafka.testsupport.TestClips;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.io.TempDir;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The list page follows a long video's renditions cut into segments as they are encoded,
 * on the whole pipeline with the ffmpeg transcoder: its row shows a bar and its figures
 * per rendition ("360p: 40 % (2 of 5 segments)"), which move on with the live events,
 * then, with every rendition done, only "success". The page is opened before the upload
 * and never reloaded, so all it shows of the video came live.
 */
@TestInstance(Lifecycle.PER_CLASS)
class SegmentProgressBrowserTests {

	/**
	 * What the page shows of the row of a video named {@code window.followed}, each time
	 * it changes: its status, and each segment bar's figures with the bar's value and
	 * maximum.
	 */
	private static final String RECORDER = """
			window.seen = [];
			new MutationObserver(() => {
			  const row = [...document.querySelectorAll('li.video')]
			    .find((video) => video.querySelector('.name')?.textContent === window.followed);
			  if (!row) {
			    return;
			  }
			  const bars = [...row.querySelectorAll('.segments li')].map((item) => {
			    const bar = item.querySelector('progress');
			    return item.textContent + ' [' + bar.value + '/' + bar.max + ']';
			  });
			  const state = [row.querySelector('.status').textContent, ...bars].join(' | ');
			  if (window.seen[window.seen.length - 1] !== state) {
			    window.seen.push(state);
			  }
			}).observe(document, { childList: true, subtree: true, characterData: true });
			""";

	private static final Pattern BAR = Pattern
		.compile("360p: (\\d+) % \\((\\d+) of (\\d+) segments\\) \\[(\\d+)/(\\d+)\\]");

	@AutoClose
	PagePipeline pipeline;

	@AutoClose
	Chromium chromium;

	@TempDir
	Path files;

	@BeforeAll
	void startThePipelineAndTheBrowser() {
		Chromium.assumeInstalled();
		assumeTrue(TestClips.ffmpegInstalled() || "required".equals(System.getenv("BROWSER_TESTS")),
				"ffmpeg is not installed");
		// A video over 10 s is cut into 4 s segments: 20 s make five.
		this.pipeline = PagePipeline.start("--video.stream.transcoder=ffmpeg", "--video.stream.segments.threshold=10s",
				"--video.stream.segments.length=4s");
		this.chromium = Chromium.launch();
	}

	@Test
	void theListShowsASegmentedRenditionsProgressLiveUntilTheVideoIsDone() throws Exception {
		// 360p: its one rendition encoded, the taller scales point to it.
		Path clip = TestClips.make(this.files, 640, 360, 20, true);
		String name = clip.getFileName().toString();
		try (BrowserContext context = this.chromium.browser.newContext()) {
			Page page = context.newPage();
			page.addInitScript(RECORDER);
			page.navigate(this.pipeline.page + "/");
			assertThat(page.locator("#live")).hasText("Live");
			page.evaluate("(name) => { window.followed = name; }", name);

			page.locator("#file").setInputFiles(clip);

			Locator row = page.locator("li.video", new Page.LocatorOptions().setHasText(name));
			assertThat(row.locator(".status")).hasText("success",
					new LocatorAssertions.HasTextOptions().setTimeout(180_000));
			assertThat(row.locator(".segments")).hasCount(0);

			@SuppressWarnings("unchecked")
			List<String> seen = (List<String>) page.evaluate("window.seen");
			List<Matcher> bars = seen.stream().map(BAR::matcher).filter(Matcher::find).toList();
			assertThat(bars).as("the bars shown, in %s", seen)
				.allSatisfy((bar) -> assertThat(List.of(bar.group(4), bar.group(5))).as("the bar's value and maximum")
					.containsExactly(bar.group(2), bar.group(3)))
				.anySatisfy((bar) -> {
					assertThat(Integer.parseInt(bar.group(1))).as("a percentage").isStrictlyBetween(0, 100);
					assertThat(Integer.parseInt(bar.group(2))).as("segments done")
						.isStrictlyBetween(0, Integer.parseInt(bar.group(3)));
				});
			assertThat(bars.stream().map((bar) -> Integer.valueOf(bar.group(1))).toList())
				.as("the percentages shown, in %s", seen)
				.isSorted();
			assertThat(seen.get(seen.size() - 1)).as("the last state shown").isEqualTo("success");
		}
	}

}
