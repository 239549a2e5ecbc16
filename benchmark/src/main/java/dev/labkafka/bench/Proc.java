package dev.labkafka.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time from Linux's {@code /proc/<pid>/stat}: the process's own and that of its
 * children it has waited for (ffmpeg, for the worker), which Java's process API does not
 * count.
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

}
