package dev.labkafka.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a run of the benchmark measures, from its command line (see {@link Benchmark}).
 */
record Options(boolean quick, int videos, Duration transcode, int smallUploads, long bigUpload, long memoryUpload,
		Duration soak, Path out, Path root, int segmentsClipSeconds, int segmentSeconds) {

	static Options parse(String[] args) {
		boolean quick = List.of(args).contains("--quick");
		int videos = quick ? 4 : 100;
		int uploads = quick ? 32 : 256;
		long bigUpload = quick ? 64L << 20 : 512L << 20;
		long memoryUpload = quick ? 128L << 20 : 1L << 30;
		Duration soak = Duration.ofSeconds(quick ? 15 : 60);
		Path out = quick ? Path.of("target", "bench-quick") : Path.of("docs");
		int segmentsClip = 180;
		int segmentSeconds = 20;
		for (int i = 0; i < args.length - 1; i++) {
			switch (args[i]) {
				case "--videos" -> videos = Integer.parseInt(args[i + 1]);
				case "--uploads" -> uploads = Integer.parseInt(args[i + 1]);
				case "--big-upload-mb" -> bigUpload = Long.parseLong(args[i + 1]) << 20;
				case "--memory-upload-mb" -> memoryUpload = Long.parseLong(args[i + 1]) << 20;
				case "--soak-seconds" -> soak = Duration.ofSeconds(Long.parseLong(args[i + 1]));
				case "--out" -> out = Path.of(args[i + 1]);
				case "--segments-clip-seconds" -> segmentsClip = Integer.parseInt(args[i + 1]);
				case "--segments-length" -> segmentSeconds = Integer.parseInt(args[i + 1]);
				default -> {
				}
			}
		}
		if (segmentSeconds < 2 || segmentSeconds % 2 != 0) {
			throw new IllegalArgumentException(
					"--segments-length must be a multiple of 2 (the keyframe interval): " + segmentSeconds);
		}
		return new Options(quick, videos, quick ? Duration.ofMillis(500) : Duration.ofSeconds(3), uploads, bigUpload,
				memoryUpload, soak, out, Path.of("."), segmentsClip, segmentSeconds);
	}

}
