package dev.labkafka.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.labkafka.messages.Topics;
import dev.labkafka.processes.LocalPipeline;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;

/** The stack's workers, started for a measure: ready, or with their group settled. */
final class Workers {

	private Workers() {
	}

	/**
	 * Starts {@code count} workers with this rendition concurrency and the mock's
	 * transcode time, and waits until the renditions group has settled.
	 */
	static void startWorkers(LocalPipeline stack, int count, int concurrency, Duration transcode) {
		startReadyWorkers(stack, count, concurrency, transcode);
		awaitSettled(stack, count * concurrency);
	}

	/** Starts workers with the mock's transcode time, until they report ready. */
	static void startReadyWorkers(LocalPipeline stack, int count, int concurrency, Duration transcode) {
		stack.startWorkers(count, "-Xmx384m", "--video.stream.rendition-concurrency=" + concurrency,
				"--video.stream.transcode-time=" + transcode.toMillis() + "ms");
	}

	/**
	 * Waits until the renditions group has settled: {@code consumers} members, each
	 * holding partitions of the renditions topic. A worker is ready once its consumers
	 * have joined, which may be in the first step of a cooperative rebalance, with no
	 * partition yet; the batch measures the throughput of the workers, not that step.
	 */
	static void awaitSettled(LocalPipeline stack, int consumers) {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
			long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
			while (!settled(admin, consumers)) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("The renditions group did not settle with " + consumers
							+ " consumers each holding partitions");
				}
				Benchmark.pause(Duration.ofMillis(200));
			}
		}
	}

	private static boolean settled(Admin admin, int consumers) {
		try {
			ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(Topics.RENDITIONS_GROUP))
				.describedGroups()
				.get(Topics.RENDITIONS_GROUP)
				.get(5, TimeUnit.SECONDS);
			return group.groupState() == GroupState.STABLE && group.members().size() == consumers
					&& group.members()
						.stream()
						.allMatch((member) -> member.assignment()
							.topicPartitions()
							.stream()
							.anyMatch((partition) -> partition.topic().equals(Topics.RENDITIONS)));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			return false;
		}
	}

}
