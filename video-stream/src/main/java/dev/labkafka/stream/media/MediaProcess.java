package dev.labkafka.stream.media;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * Runs one of the system's media programs (ffmpeg, ffprobe) under control: a time limit
 * after which the process is killed ({@link Process#destroyForcibly()}) and reaped, so
 * that no zombie is left; the same when the calling thread is interrupted (the worker
 * stopping) or when the video it works for was deleted; its exit status; the tail of its
 * error output for a useful message; and its standard output line by line as it comes
 * (ffmpeg's {@code -progress pipe:1}). Every command line of the worker goes through
 * here.
 */
public final class MediaProcess {

	/** How much of the error output is kept for the message of a failure. */
	private static final int TAIL_LINES = 12;

	private MediaProcess() {
	}

	/**
	 * Runs {@code command} to its end, or kills it after {@code timeout}.
	 * @param lines given each line of the standard output as it comes, or null to collect
	 * it whole
	 * @return the standard output when {@code lines} is null, else an empty string
	 * @throws MediaFailure when the program cannot be started, exits with a failure
	 * status, or runs out of time
	 */
	public static String run(List<String> command, Duration timeout, @Nullable Consumer<String> lines)
			throws InterruptedException {
		return run(command, timeout, lines, new Running());
	}

	/**
	 * Runs {@code command} as {@link #run(List, Duration, Consumer)} does, as one of
	 * {@code running}'s programs.
	 * @throws InterruptedException also when {@code running} was stopped: the program was
	 * killed because its owner is stopping, not because of the file
	 * @throws VideoGone when the program was killed, or not started, because the video
	 * the calling thread works for was deleted ({@link Running#stopFor})
	 */
	public static String run(List<String> command, Duration timeout, @Nullable Consumer<String> lines, Running running)
			throws InterruptedException {
		running.checkNotStopped();
		Process process;
		try {
			process = new ProcessBuilder(command).start();
			// Nothing to read: a program that asks gets end of input at once.
			process.getOutputStream().close();
		}
		catch (IOException ex) {
			throw new MediaFailure(name(command) + " could not be started: " + ex.getMessage(), ex);
		}
		running.add(process);
		Deque<String> errors = new ArrayDeque<>();
		StringBuilder output = new StringBuilder();
		Thread errorReader = drain(process.getErrorStream(), (line) -> {
			synchronized (errors) {
				errors.addLast(line);
				if (errors.size() > TAIL_LINES) {
					errors.removeFirst();
				}
			}
		});
		Thread outputReader = drain(process.getInputStream(), (lines != null) ? lines : (line) -> {
			synchronized (output) {
				output.append(line).append('\n');
			}
		});
		try {
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new MediaFailure(
						name(command) + " did not finish within " + timeout + " and was stopped" + tail(errors));
			}
			running.checkNotStopped();
			outputReader.join(Duration.ofSeconds(5).toMillis());
			errorReader.join(Duration.ofSeconds(5).toMillis());
			if (process.exitValue() != 0) {
				throw new MediaFailure(name(command) + " failed (exit " + process.exitValue() + ")" + tail(errors));
			}
			synchronized (output) {
				return output.toString();
			}
		}
		finally {
			running.remove(process);
			if (process.isAlive()) {
				process.destroyForcibly();
				process.waitFor(10, TimeUnit.SECONDS);
			}
		}
	}

	/**
	 * The programs one owner runs, so that they can be stopped together when it stops: a
	 * worker shutting down kills its ffmpeg runs rather than leave them behind or wait
	 * for them.
	 */
	public static final class Running {

		/** Each program running, and the thread that runs it. */
		private final Map<Process, Thread> processes = new ConcurrentHashMap<>();

		/** The threads whose video was deleted, and that video's id. */
		private final Map<Thread, String> gone = new ConcurrentHashMap<>();

		private volatile boolean stopped;

		/**
		 * Kills every program still running, and any started from now on; their callers
		 * get an {@link InterruptedException}.
		 */
		public void stopAll() {
			this.stopped = true;
			this.processes.keySet().forEach(Running::kill);
		}

		/**
		 * Kills the programs that {@code worker} runs now, with their descendants, and
		 * any it starts until {@link #release}: the video it works for was deleted. The
		 * calls that ran them throw {@link VideoGone}.
		 */
		public void stopFor(Thread worker, String videoId) {
			this.gone.put(worker, videoId);
			this.processes.forEach((process, owner) -> {
				if (owner == worker) {
					kill(process);
				}
			});
		}

		/** Lets {@code worker} run programs again: its job for a deleted video ended. */
		public void release(Thread worker) {
			this.gone.remove(worker);
		}

		private void add(Process process) {
			Thread owner = Thread.currentThread();
			this.processes.put(process, owner);
			// After the put: a stop that came meanwhile either sees the process or is
			// seen.
			if (this.stopped || this.gone.containsKey(owner)) {
				kill(process);
			}
		}

		private void remove(Process process) {
			this.processes.remove(process);
		}

		private void checkNotStopped() throws InterruptedException {
			if (this.stopped) {
				throw new InterruptedException("Stopped: its owner is shutting down");
			}
			String videoId = this.gone.get(Thread.currentThread());
			if (videoId != null) {
				throw new VideoGone(videoId);
			}
		}

		private static void kill(Process process) {
			process.descendants().forEach(ProcessHandle::destroyForcibly);
			process.destroyForcibly();
		}

	}

	private static Thread drain(InputStream stream, Consumer<String> lines) {
		Thread reader = new Thread(() -> {
			try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
				String line;
				while ((line = in.readLine()) != null) {
					lines.accept(line);
				}
			}
			catch (IOException ex) {
				// The process went away.
			}
		}, "media-process-reader");
		reader.setDaemon(true);
		reader.start();
		return reader;
	}

	private static String name(List<String> command) {
		String program = command.get(0);
		return program.substring(program.lastIndexOf('/') + 1);
	}

	private static String tail(Deque<String> errors) {
		synchronized (errors) {
			return errors.isEmpty() ? "" : ": " + String.join(" | ", errors);
		}
	}

}
