package dev.labkafka.stream.media;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Programs run under control, with real processes: a program out of time is killed and
 * reaped, a failure says why, and output comes line by line.
 */
class MediaProcessTests {

	@Test
	void killsAProgramThatRunsOutOfTimeAndLeavesNoProcess() {
		long started = System.nanoTime();

		assertThatExceptionOfType(MediaFailure.class)
			.isThrownBy(() -> MediaProcess.run(List.of("sleep", "30"), Duration.ofMillis(500), null))
			.withMessageContaining("sleep did not finish within PT0.5S and was stopped");

		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
		assertThat(children()).as("no child left, not even a zombie").isEmpty();
	}

	@Test
	void killsTheProgramWhenTheCallingThreadIsInterrupted() {
		AtomicReference<Thread> caller = new AtomicReference<>();
		CompletableFuture<Void> run = CompletableFuture.runAsync(() -> {
			caller.set(Thread.currentThread());
			try {
				MediaProcess.run(List.of("sleep", "30"), Duration.ofMinutes(1), null);
			}
			catch (InterruptedException ex) {
				// Expected: the worker is stopping.
			}
		});
		await().until(() -> !children().isEmpty());

		caller.get().interrupt();

		await().atMost(Duration.ofSeconds(10)).until(run::isDone);
		assertThat(children()).isEmpty();
	}

	@Test
	void stoppingTheOwnerKillsItsProgramsAndInterruptsTheirCallers() {
		MediaProcess.Running running = new MediaProcess.Running();
		CompletableFuture<Void> run = CompletableFuture.runAsync(() -> {
			try {
				MediaProcess.run(List.of("sleep", "30"), Duration.ofMinutes(1), null, running);
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException("interrupted", ex);
			}
		});
		await().until(() -> !children().isEmpty());

		running.stopAll();

		assertThatExceptionOfType(Exception.class).isThrownBy(run::join)
			.withRootCauseInstanceOf(InterruptedException.class);
		assertThat(children()).isEmpty();
		assertThatExceptionOfType(InterruptedException.class)
			.isThrownBy(() -> MediaProcess.run(List.of("true"), Duration.ofSeconds(5), null, running));
	}

	@Test
	void stoppingOneThreadsProgramsForADeletedVideoKillsThemAndTheirChildrenAndNoOtherThreads() throws Exception {
		MediaProcess.Running running = new MediaProcess.Running();
		AtomicReference<Thread> gone = new AtomicReference<>();
		// A shell whose own child holds the work, as a program that starts helpers would.
		List<String> command = List.of("sh", "-c", "sleep 31 & wait");
		CompletableFuture<String> deleted = CompletableFuture.supplyAsync(() -> {
			gone.set(Thread.currentThread());
			return runQuietly(command, running);
		});
		await().until(() -> descendants("sleep 31") == 1);
		CompletableFuture<String> other = CompletableFuture
			.supplyAsync(() -> runQuietly(List.of("sh", "-c", "sleep 32 & wait"), running));
		await().until(() -> descendants("sleep 32") == 1);
		long stopped = System.nanoTime();

		running.stopFor(gone.get(), "65a1b2c3d4e5f6a7b8c9d0e1");

		assertThatExceptionOfType(Exception.class).isThrownBy(deleted::join)
			.withCauseInstanceOf(VideoGone.class)
			.withMessageContaining("65a1b2c3d4e5f6a7b8c9d0e1");
		assertThat(Duration.ofNanos(System.nanoTime() - stopped)).isLessThan(Duration.ofSeconds(2));
		await().atMost(Duration.ofSeconds(2)).until(() -> descendants("sleep 31") == 0);
		assertThat(other).as("another thread's program runs on").isNotDone();
		assertThat(descendants("sleep 32")).isOne();
		running.stopAll();
		await().atMost(Duration.ofSeconds(5)).until(() -> descendants("sleep 32") == 0);
	}

	@Test
	void aThreadWhoseVideoWasDeletedStartsNoProgramUntilReleased() throws Exception {
		MediaProcess.Running running = new MediaProcess.Running();
		running.stopFor(Thread.currentThread(), "65a1b2c3d4e5f6a7b8c9d0e1");

		assertThatExceptionOfType(VideoGone.class)
			.isThrownBy(() -> MediaProcess.run(List.of("true"), Duration.ofSeconds(5), null, running));

		running.release(Thread.currentThread());
		assertThat(MediaProcess.run(List.of("echo", "again"), Duration.ofSeconds(5), null, running))
			.isEqualTo("again\n");
	}

	private static String runQuietly(List<String> command, MediaProcess.Running running) {
		try {
			return MediaProcess.run(command, Duration.ofMinutes(1), null, running);
		}
		catch (InterruptedException ex) {
			throw new IllegalStateException("interrupted", ex);
		}
	}

	/**
	 * The processes on the machine whose command line ends with {@code text}: also those
	 * left orphaned, which are no longer this JVM's descendants.
	 */
	private static long descendants(String text) {
		return ProcessHandle.allProcesses()
			.filter(ProcessHandle::isAlive)
			.filter((process) -> process.info().commandLine().orElse("").endsWith(text))
			.count();
	}

	@Test
	void aFailureSaysTheExitStatusAndTheTailOfTheErrorOutput() {
		StringBuilder script = new StringBuilder();
		for (int line = 1; line <= 20; line++) {
			script.append("echo line").append(line).append(" >&2; ");
		}
		script.append("exit 3");

		assertThatExceptionOfType(MediaFailure.class)
			.isThrownBy(() -> MediaProcess.run(List.of("sh", "-c", script.toString()), Duration.ofSeconds(10), null))
			.withMessageStartingWith("sh failed (exit 3): ")
			.withMessageContaining("line20")
			.withMessageNotContaining("line8 ");
	}

	@Test
	void aProgramThatIsNotThereCannotBeStarted() {
		assertThatExceptionOfType(MediaFailure.class)
			.isThrownBy(
					() -> MediaProcess.run(List.of("/nonexistent/ffmpeg", "-version"), Duration.ofSeconds(10), null))
			.withMessageStartingWith("ffmpeg could not be started");
	}

	@Test
	void givesTheOutputLineByLineOrWhole() throws Exception {
		List<String> lines = new ArrayList<>();

		MediaProcess.run(List.of("sh", "-c", "echo a; echo b"), Duration.ofSeconds(10), lines::add);

		assertThat(lines).containsExactly("a", "b");
		assertThat(MediaProcess.run(List.of("sh", "-c", "echo a; echo b"), Duration.ofSeconds(10), null))
			.isEqualTo("a\nb\n");
	}

	private static List<ProcessHandle> children() {
		return ProcessHandle.current().children().toList();
	}

}
