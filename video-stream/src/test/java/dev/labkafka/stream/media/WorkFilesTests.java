package dev.labkafka.stream.media;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker removes, when it starts, the work files of workers that no longer run, and
 * only those: a worker killed in the middle of a job leaves its files behind, and the
 * workers that share the directory keep theirs.
 */
class WorkFilesTests {

	@TempDir
	Path root;

	@Test
	void removesTheFilesOfAWorkerKilledInTheMiddleOfAJob() throws Exception {
		Process worker = workerInAnotherProcess("worker-0123456789abcdef");
		try {
			Path leftOver = this.root.resolve("worker-0123456789abcdef/0123-source-1.bin");
			Files.write(leftOver, new byte[1024 * 1024]);
			WorkFiles whileItRuns = new WorkFiles(this.root, null);
			assertThat(leftOver).as("a running worker's file").exists();
			whileItRuns.close();

			worker.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			WorkFiles restarted = new WorkFiles(this.root, null);

			assertThat(leftOver.getParent()).doesNotExist();
			assertThat(this.root.resolve("worker-0123456789abcdef.lock")).doesNotExist();
			assertThat(restarted.directory()).isDirectory();
			restarted.close();
		}
		finally {
			worker.destroyForcibly();
		}
	}

	@Test
	void workersThatStartAtTheSameMomentKeepEachOthersFiles() throws Exception {
		String java = ProcessHandle.current().info().command().orElse("java");
		for (int round = 0; round < 3; round++) {
			List<Process> workers = new ArrayList<>();
			try {
				for (int i = 0; i < 10; i++) {
					workers.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
							StartWorker.class.getName(), this.root.toString())
						.redirectErrorStream(true)
						.start());
				}
				List<BufferedReader> outputs = new ArrayList<>();
				for (Process worker : workers) {
					BufferedReader out = new BufferedReader(
							new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8));
					assertThat(line(out, "started")).isEqualTo("started");
					outputs.add(out);
				}
				for (int i = 0; i < workers.size(); i++) {
					workers.get(i).getOutputStream().write('\n');
					workers.get(i).getOutputStream().flush();
					assertThat(line(outputs.get(i), "kept")).as("round %d, worker %d", round, i)
						.isEqualTo("kept its lock and its file");
				}
			}
			finally {
				workers.forEach(Process::destroyForcibly);
			}
		}
	}

	@Test
	void removesADirectoryWhoseLockIsGone() throws Exception {
		Path leftOver = Files.createDirectories(this.root.resolve("worker-fedcba9876543210"));
		Files.write(leftOver.resolve("0123-720-segment-2-3.mp4"), new byte[1024]);

		new WorkFiles(this.root, null).close();

		assertThat(leftOver).doesNotExist();
	}

	@Test
	void workersInTheSameProcessKeepEachOthersFiles() throws Exception {
		WorkFiles first = new WorkFiles(this.root, null);
		Path file = first.newFile("0123-thumbnail-", ".jpg");

		WorkFiles second = new WorkFiles(this.root, null);

		assertThat(file).exists();
		assertThat(second.directory()).isNotEqualTo(first.directory());
		first.close();
		second.close();
	}

	@Test
	void leavesNothingOnceClosed() throws Exception {
		WorkFiles work = new WorkFiles(this.root, null);
		work.newFile("0123-source-", ".bin");

		work.close();

		try (var entries = Files.list(this.root)) {
			assertThat(entries.toList()).isEmpty();
		}
	}

	@Test
	void leavesOtherFilesInTheDirectoryAlone() throws Exception {
		Path other = Files.writeString(this.root.resolve("notes.txt"), "kept");

		new WorkFiles(this.root, null).close();

		assertThat(other).exists();
	}

	/**
	 * A worker's directory and its held lock, as a worker in another process has them.
	 */
	private Process workerInAnotherProcess(String name) throws IOException {
		Files.createDirectories(this.root.resolve(name));
		String java = ProcessHandle.current().info().command().orElse("java");
		Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
				HoldLock.class.getName(), this.root.resolve(name + ".lock").toString())
			.redirectErrorStream(true)
			.start();
		BufferedReader out = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		assertThat(out.readLine()).isEqualTo("held");
		return process;
	}

	/** The first line of {@code out} that starts with {@code word} (log lines aside). */
	private static String line(BufferedReader out, String word) throws IOException {
		for (String line = out.readLine(); line != null; line = out.readLine()) {
			if (line.startsWith(word)) {
				return line;
			}
		}
		return "(ended)";
	}

	/**
	 * A worker in a process of its own, started beside others: once told, it says whether
	 * its lock and its file are still there.
	 */
	static final class StartWorker {

		public static void main(String[] args) throws Exception {
			Path root = Path.of(args[0]);
			WorkFiles work = new WorkFiles(root, null);
			Path file = work.newFile("0123-source-", ".bin");
			System.out.println("started");
			System.out.flush();
			System.in.read();
			boolean lock = Files.exists(root.resolve(work.directory().getFileName() + ".lock"));
			System.out.println((lock && Files.exists(file)) ? "kept its lock and its file"
					: "kept " + (Files.exists(file) ? "its file only" : "no file"));
			System.out.flush();
			while (System.in.read() != -1) {
				// held until killed, or until the test's JVM has gone
			}
		}

	}

	/**
	 * Holds a lock on a file until it is killed, or its input ends (the test's JVM
	 * ended).
	 */
	static final class HoldLock {

		public static void main(String[] args) throws Exception {
			FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE,
					StandardOpenOption.WRITE);
			channel.lock();
			System.out.println("held");
			System.out.flush();
			while (System.in.read() != -1) {
				// held until killed, or until the test's JVM has gone
			}
		}

	}

}
