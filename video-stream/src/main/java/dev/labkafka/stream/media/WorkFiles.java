package dev.labkafka.stream.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's scratch files, in {@code video.stream.media.work-dir}: a copy of a source
 * for ffprobe and ffmpeg to read (they need to seek, which a stream from GridFS cannot
 * give them), and what they write. Every file is removed when its job ends, whatever the
 * outcome.
 */
public class WorkFiles {

	private static final Logger logger = LoggerFactory.getLogger(WorkFiles.class);

	private final Path directory;

	private final SourceVideos sources;

	WorkFiles(Path directory, SourceVideos sources) {
		this.directory = directory;
		this.sources = sources;
	}

	/**
	 * A copy of the video's original, read from GridFS.
	 * @return empty when the video has no bytes (any more)
	 */
	public Optional<Path> copySource(String id) {
		Optional<InputStream> source = this.sources.open(id);
		if (source.isEmpty()) {
			return Optional.empty();
		}
		Path copy = newFile(id + "-source-", ".bin");
		try (InputStream in = source.get()) {
			Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
			return Optional.of(copy);
		}
		catch (IOException | RuntimeException ex) {
			delete(copy);
			throw (ex instanceof IOException io) ? new UncheckedIOException(io) : (RuntimeException) ex;
		}
	}

	/** A new empty file, for a program to write into. */
	public Path newFile(String prefix, String suffix) {
		try {
			Files.createDirectories(this.directory);
			return Files.createTempFile(this.directory, prefix, suffix);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot make a work file in " + this.directory, ex);
		}
	}

	/**
	 * {@code message} without this directory's path: a program's error output names its
	 * input and output files, and the reason goes to users.
	 */
	public String withoutPaths(@Nullable String message) {
		return (message != null) ? message.replace(this.directory.toAbsolutePath() + "/", "") : "";
	}

	/** Removes the file if it exists. */
	public void delete(@Nullable Path file) {
		if (file == null) {
			return;
		}
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException ex) {
			logger.warn("Could not remove the work file {}: {}", file, ex.toString());
		}
	}

}
