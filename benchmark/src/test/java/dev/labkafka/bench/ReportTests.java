package dev.labkafka.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The report of a run of one part alone into a directory of its own: that part's rows of
 * the targets and its section, and nothing of the parts not measured.
 */
class ReportTests {

	@TempDir
	Path out;

	@Test
	void theFirstVideosMeasuredAloneAreReported() throws IOException {
		Map<String, Object> results = measured();
		results.put("first", Map.of("seconds", 3.2, "floor", 3.0, "ratio", 3.2 / 3.0));
		results.put("single",
				Map.of("seconds", List.of(3.1, 3.2), "median", 3.15, "max", 3.2, "floor", 3.0, "ratio", 1.05));
		String report = report(results);
		assertThat(report).contains(
				"| First video after the pipeline says it is ready: answer to success | at most 1.1x | 1.07x (3.20 s) | yes |")
			.contains(
					"| Single video: answer to success, against one transcode | at most 1.1x | 1.05x (3.15 s) | yes |")
			.contains("## Single video")
			.doesNotContain("## Batch")
			.doesNotContain("## Upload path")
			.doesNotContain("## Soak");
	}

	@Test
	void theUploadPathMeasuredAloneIsReported() throws IOException {
		Map<String, Object> results = measured();
		results.put("small_uploads",
				Map.of("uploads", 256, "clients", 16, "bytes", 1 << 20, "perSecond", 40.0, "p50", 0.3, "p99", 0.9));
		Map<String, Object> big = new LinkedHashMap<>();
		big.put("bytes", 512L << 20);
		big.put("rounds", 5);
		big.put("apiMBps", 300.0);
		big.put("rawGridFsMBps", 400.0);
		big.put("ratio", 0.75);
		big.put("apiRunsMBps", List.of(300.0));
		big.put("rawGridFsRunsMBps", List.of(400.0));
		big.put("tusMBps", 310.0);
		big.put("tusRatio", 0.775);
		big.put("tusRunsMBps", List.of(310.0));
		big.put("tusPatchBytes", 64L << 20);
		results.put("big_upload", big);
		String report = report(results);
		assertThat(report).contains("| Big upload: API / raw GridFS throughput | at least 0.7 | 0.75 | yes |")
			.contains(
					"| Big upload by tus (PATCH bodies): API / raw GridFS throughput | at least 0.8 | 0.78 | **no** |")
			.contains("## Upload path")
			.contains("- 256 uploads of 1 MB from 16 concurrent clients: 40.0 uploads/s")
			.contains("- The same 512 MB by tus (a creation, then `PATCH` bodies of 64 MB): 310.0 MB/s")
			.doesNotContain("-Xmx256m")
			.doesNotContain("## Single video")
			.doesNotContain("## Scale-out");
	}

	/** What a run records before its parts: the machine and the options. */
	private static Map<String, Object> measured() {
		Map<String, Object> results = new LinkedHashMap<>();
		results.put("machine", Map.of("cores", 2));
		results.put("options", Map.of("quick", false, "videos", 40, "transcodeMs", 3000));
		return results;
	}

	private String report(Map<String, Object> results) throws IOException {
		Options options = Options.parse(new String[] { "--out", this.out.toString() });
		new Report(Report.asMeasured(options, results), results).write();
		assertThat(this.out.resolve("benchmarks").resolve("results.json")).exists();
		return Files.readString(this.out.resolve("benchmarks.md"));
	}

}
