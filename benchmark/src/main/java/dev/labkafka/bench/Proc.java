package dev.labkafka.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.labkafka.processes.LocalPipeline;

/**
 * What processes use: CPU time from Linux's {@code /proc/<pid>/stat} (the process's own
 * and that of its children it has waited for, ffmpeg for the worker, which Java's process
 * API does not count), the CPU time of the benchmark, the API and the MongoDB-wire server
 * over a measure ({@link CpuUse}), and the bytes under a directory.
 */
final class Proc {

	/** Clock ticks per second of {@code /proc}'s times on Linux. */
	private static final double TICKS = 100.0;

	private Proc() {
	}

	/** Seconds of CPU, user and system, own and children's; 0 where there is no /proc. */
	static double cpuSeconds(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			// Fields after the command name, which is in parentheses and may hold spaces.
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			// utime, stime, cutime, cstime are fields 14 to 17; here 11 to 14 (from 0).
			long ticks = 0;
			for (int field = 11; field <= 14; field++) {
				ticks += Long.parseLong(fields[field]);
			}
			return ticks / TICKS;
		}
		catch (IOException | RuntimeException ex) {
			return 0;
		}
	}

	/**
	 * The bytes the files under {@code directory} take on disk, as {@code du} counts them
	 * (0 if there is none): H2's file has holes, so its length can be many times what it
	 * takes.
	 */
	static long directorySize(java.nio.file.Path directory) {
		if (!java.nio.file.Files.isDirectory(directory)) {
			return 0;
		}
		try {
			Process du = new ProcessBuilder("du", "-sk", directory.toString()).redirectErrorStream(true).start();
			String out = new String(du.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
			du.waitFor();
			return Long.parseLong(out.trim().split("\\s+")[0]) * 1024;
		}
		catch (java.io.IOException | NumberFormatException ex) {
			throw new IllegalStateException("du failed on " + directory, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The CPU time the benchmark, the API and the MongoDB-wire server have used since it
	 * was made.
	 */
	static final class CpuUse {

		private final LocalPipeline stack;

		private final long wallStart = System.nanoTime();

		private final Map<String, Duration> start;

		CpuUse(LocalPipeline stack) {
			this.stack = stack;
			this.start = now();
		}

		private Map<String, Duration> now() {
			return Map.of("benchmark", cpuOf(ProcessHandle.current()), "api", this.stack.cpu("api"), "mongo",
					this.stack.cpu("mongo"));
		}

		private static Duration cpuOf(ProcessHandle process) {
			return process.info().totalCpuDuration().orElse(Duration.ZERO);
		}

		/** Adds the seconds used since, per process, under {@code path}'s keys. */
		void record(String path, Map<String, List<Double>> cpu) {
			Map<String, Duration> end = now();
			cpu.computeIfAbsent(path + ".wall", (key) -> new ArrayList<>())
				.add((System.nanoTime() - this.wallStart) / 1e9);
			for (String process : List.of("benchmark", "api", "mongo")) {
				cpu.computeIfAbsent(path + "." + process, (key) -> new ArrayList<>())
					.add(end.get(process).minus(this.start.get(process)).toMillis() / 1000.0);
			}
		}

	}

}
