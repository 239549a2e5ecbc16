package dev.labkafka.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The report: the committed one is what its figures give, and a run of one part alone
 * into a directory of its own reports that part's rows of the targets and its section,
 * and nothing of the parts not measured.
 */
class ReportTests {

	/** The committed report and what it is written from. */
	private static final Path DOCS = Path.of("..", "docs");

	/** Each part's section headings, in the report's order. */
	private static final List<String> SECTIONS = List.of("## Single video", "## Batch: ", "## Scale-out",
			"## Upload path", "## Real renditions (ffmpeg)", "## Soak", "## A long video in segments");

	@TempDir
	Path out;

	@Test
	void theCommittedReportIsWhatItsFiguresGive() throws IOException {
		Files.createDirectories(this.out.resolve("benchmarks"));
		for (String file : List.of("results.json", "analysis.md")) {
			Files.copy(DOCS.resolve("benchmarks").resolve(file), this.out.resolve("benchmarks").resolve(file));
		}
		Report.rewrite(Options.parse(new String[] { "--out", this.out.toString() }));
		assertThat(this.out.resolve("benchmarks.md")).hasSameTextualContentAs(DOCS.resolve("benchmarks.md"));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			textBlock = """
					first single                                              | ## Single video                    | First video after the pipeline says it is ready
					batch_c4_1worker batch_c4_2workers batch_c4_4workers      | ## Batch: ,## Scale-out           | Scale-out: throughput with 4 workers / 1
					small_uploads big_upload                                  | ## Upload path                     | Big upload by tus (PATCH bodies)
					ffmpeg                                                    | ## Real renditions (ffmpeg)        | ffmpeg: a 720p 10 s clip through the pipeline
					soak                                                      | ## Soak                            | Soak: 16 clients
					soak soak_after_uploads                                   | ## Soak                            | Soak after 5 GB uploaded and deleted
					segments                                                  | ## A long video in segments        | two workers (a core each) against one
					""")
	void aPartMeasuredAloneIntoADirectoryOfItsOwnIsReported(String keys, String sections, String target)
			throws IOException {
		Map<String, Object> committed = Report.read(DOCS.resolve("benchmarks").resolve("results.json"));
		Options options = Options.parse(new String[] { "--out", this.out.toString() });
		Map<String, Object> results = new LinkedHashMap<>(Report.measuredOn(options));
		for (String key : keys.split(" ")) {
			results.put(key, committed.get(key));
		}
		new Report(options, results).write();
		String report = Files.readString(this.out.resolve("benchmarks.md"));
		List<String> expected = List.of(sections.split(","));
		assertThat(headings(report)).containsExactlyElementsOf(expected);
		assertThat(targetRows(report)).isNotEmpty()
			.allSatisfy((row) -> assertThat(row).matches("\\| .+ \\| (yes|\\*\\*no\\*\\*) \\|"));
		assertThat(targetRows(report)).anySatisfy((row) -> assertThat(row).contains(target));
	}

	@Test
	void aFirstVideoMeasuredAloneIsJudgedAgainstItsTarget() throws IOException {
		Options options = Options.parse(new String[] { "--out", this.out.toString() });
		Map<String, Object> results = new LinkedHashMap<>(Report.measuredOn(options));
		results.put("first", Map.of("seconds", 3.2, "floor", 3.0, "ratio", 3.2 / 3.0));
		results.put("single",
				Map.of("seconds", List.of(3.1, 3.2), "median", 3.15, "max", 3.2, "floor", 3.0, "ratio", 1.05));
		new Report(options, results).write();
		assertThat(Files.readString(this.out.resolve("benchmarks.md"))).contains(
				"| First video after the pipeline says it is ready: answer to success | at most 1.1x | 1.07x (3.20 s) | yes |")
			.contains(
					"| Single video: answer to success, against one transcode | at most 1.1x | 1.05x (3.15 s) | yes |");
	}

	/** The report's section headings of the parts, in order. */
	private static List<String> headings(String report) {
		return report.lines()
			.filter((line) -> SECTIONS.stream().anyMatch(line::startsWith))
			.map((line) -> SECTIONS.stream().filter(line::startsWith).findFirst().orElseThrow())
			.toList();
	}

	/** The rows of the targets table, without its head. */
	private static List<String> targetRows(String report) {
		Matcher table = Pattern.compile("## Targets\n\n[^\n]*\n[^\n]*\n((?:\\|[^\n]*\n)*)").matcher(report);
		assertThat(table.find()).isTrue();
		return table.group(1).lines().toList();
	}

}
