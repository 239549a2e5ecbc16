package dev.labkafka.stream.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.FileSystemUtils;

/**
 * The worker's scratch files: a copy of a source for ffprobe and ffmpeg to read (they
 * need to seek, which a stream from GridFS cannot give them), and what they write. Every
 * file is removed when its job ends, whatever the outcome.
 * <p>
 * Each worker keeps its files in a directory of its own under
 * {@code video.stream.media.work-dir}, {@code worker-<random>}, and holds a lock on
 * {@code worker-<random>.lock} beside it for as long as it runs. The operating system
 * lets the lock go when the process ends, however it ends; so a worker that starts
 * removes every other worker's directory whose lock it can take: what a worker killed in
 * the middle of a job left behind. Workers that share the directory (several on one
 * machine) leave each other's files alone.
 */
public class WorkFiles implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(WorkFiles.class);

	private static final String PREFIX = "worker-";

	private static final String LOCK = ".lock";

	/**
	 * The directories that workers of this JVM hold (tests run several): closing a
	 * channel on a lock file lets go of every lock this process holds on it, so they are
	 * never opened to be tried.
	 */
	private static final Set<String> HELD_HERE = ConcurrentHashMap.newKeySet();

	private final Path root;

	private final String name;

	private final Path directory;

	private final SourceVideos sources;

	private @Nullable FileChannel lock;

	WorkFiles(Path root, SourceVideos sources) {
		this.root = root;
		byte[] random = new byte[8];
		new SecureRandom().nextBytes(random);
		this.name = PREFIX + HexFormat.of().formatHex(random);
		this.directory = root.resolve(this.name);
		this.sources = sources;
		HELD_HERE.add(this.name);
		try {
			Files.createDirectories(root);
			this.lock = hold(root.resolve(this.name + LOCK));
			removeLeftOvers();
			Files.createDirectories(this.directory);
		}
		catch (IOException ex) {
			// Without its lock the directory is made when the first job needs it, and
			// another worker that starts may take it for a left-over.
			logger.warn("Could not prepare the work directory {}: {}", root, ex.toString());
		}
	}

	/** The directory this worker's files are made in. */
	Path directory() {
		return this.directory;
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

	/**
	 * Removes this worker's directory and lets its lock go: called once its jobs ended.
	 */
	@Override
	public void close() {
		try {
			FileSystemUtils.deleteRecursively(this.directory);
			FileChannel held = this.lock;
			if (held != null) {
				Files.deleteIfExists(this.root.resolve(this.name + LOCK));
				held.close();
			}
		}
		catch (IOException ex) {
			logger.warn("Could not remove the work directory {}: {}", this.directory, ex.toString());
		}
		finally {
			HELD_HERE.remove(this.name);
		}
	}

	/**
	 * Makes the lock {@code file} and holds it. It is made and locked under a name that
	 * no other worker looks at, then moved into place: a worker that starts at the same
	 * moment never finds it unlocked.
	 */
	private static FileChannel hold(Path file) throws IOException {
		Path unseen = file.resolveSibling("." + file.getFileName());
		FileChannel channel = FileChannel.open(unseen, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
		try {
			if (channel.tryLock() == null) {
				throw new IOException("The lock " + unseen + " is held by another process");
			}
			Files.move(unseen, file, StandardCopyOption.ATOMIC_MOVE);
			return channel;
		}
		catch (IOException | RuntimeException ex) {
			channel.close();
			Files.deleteIfExists(unseen);
			throw ex;
		}
	}

	/**
	 * Removes the directories of workers that no longer run: a directory whose lock can
	 * be taken, or that has no lock at all (its worker made the lock first and removes it
	 * last).
	 */
	private void removeLeftOvers() throws IOException {
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(this.root, PREFIX + "*")) {
			for (Path entry : entries) {
				String entryName = entry.getFileName().toString();
				String owner = entryName.endsWith(LOCK) ? entryName.substring(0, entryName.length() - LOCK.length())
						: entryName;
				if (HELD_HERE.contains(owner)) {
					continue;
				}
				if (entryName.endsWith(LOCK)) {
					removeIfNotHeld(entry, this.root.resolve(owner));
				}
				else if (Files.isDirectory(entry) && !Files.exists(this.root.resolve(owner + LOCK))) {
					remove(entry);
				}
			}
		}
	}

	private void removeIfNotHeld(Path lockFile, Path leftOver) throws IOException {
		try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
			FileLock taken = channel.tryLock();
			if (taken == null) {
				return;
			}
			remove(leftOver);
			Files.deleteIfExists(lockFile);
		}
		catch (OverlappingFileLockException ex) {
			// held by this JVM after all
		}
		catch (NoSuchFileException ex) {
			// removed by another worker starting at the same moment
		}
	}

	private static void remove(Path leftOver) throws IOException {
		if (Files.exists(leftOver)) {
			FileSystemUtils.deleteRecursively(leftOver);
			logger.info("Removed the work files of a worker that no longer runs: {}", leftOver);
		}
	}

}
