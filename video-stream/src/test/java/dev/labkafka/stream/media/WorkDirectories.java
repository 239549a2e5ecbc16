package dev.labkafka.stream.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the jobs of the workers sharing a work directory left in it. */
public final class WorkDirectories {

	private WorkDirectories() {
	}

	/** Every file under {@code root} but the workers' locks. */
	public static List<Path> jobFiles(Path root) throws IOException {
		try (var files = Files.walk(root)) {
			return files.filter(Files::isRegularFile)
				.filter((file) -> !file.getFileName().toString().endsWith(".lock"))
				.toList();
		}
	}

}
