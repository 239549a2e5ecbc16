package dev.labkafka.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.labkafka.messages.ProgressMessage;
import dev.labkafka.messages.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where one video's time went, hop by hop, in milliseconds after the upload's answer:
 * when each message was written, from the timestamps Kafka keeps with it (the
 * announcement, the fan-out's rendition messages, the worker's progress messages: media
 * found, each rendition recorded, the status), and when the worker took the announcement
 * and each rendition, from the lines its log writes then. Each source is the same
 * machine's clock.
 * <p>
 * Each hop is an entry of its own, also when several came in the same millisecond (the
 * fan-out writes its four messages within a few): the report sets the same hop of two
 * videos side by side. The rendition messages are numbered in the order they were
 * written. A hop seen more than once (a rendition taken again after a rebalance) is given
 * at its first time.
 * <p>
 * The messages are read up to what had been written to their topics when the timeline was
 * asked for, including what was then in a transaction not yet committed or aborted, and
 * the progress messages until the last of the video's is a status change (the one to
 * {@code success}: it follows every rendition and the probe recorded), waiting
 * {@link #READ_FOR} at most. Asked for as soon as the client sees the video done, the
 * worker may not have sent that message yet (it sends it once MongoDB has the change,
 * which the client may see first), or it may be behind a transaction of another video's
 * fan-out on its partition.
 */
final class Timeline {

	private static final JsonMapper json = JsonMapper.builder().build();

	/** A log line's time, at its start. */
	private static final Pattern LOG_TIME = Pattern.compile("^(\\S+)\\s");

	/** How long the messages written when asked for may take to be read. */
	private static final Duration READ_FOR = Duration.ofSeconds(10);

	private Timeline() {
	}

	/**
	 * @param id a video that is done
	 * @param answered when the upload's answer came, in epoch milliseconds
	 * @param workerLogs the logs of the workers that may have taken its messages
	 * @return each hop and its milliseconds after the answer, in the order they came
	 */
	static Map<String, Long> of(String bootstrapServers, String id, long answered, List<Path> workerLogs)
			throws IOException {
		List<Hop> hops = new ArrayList<>();
		try (KafkaConsumer<String, String> consumer = consumer(bootstrapServers, "read_committed");
				KafkaConsumer<String, String> uncommitted = consumer(bootstrapServers, "read_uncommitted")) {
			// Every record written by now, committed or not: the ends of the topics.
			Map<String, Map<TopicPartition, Long>> written = new LinkedHashMap<>();
			for (String topic : List.of(Topics.VIDEOS, Topics.RENDITIONS, Topics.PROGRESS)) {
				written.put(topic, ends(uncommitted, topic));
			}
			long deadline = System.nanoTime() + READ_FOR.toNanos();
			for (ConsumerRecord<String, String> record : records(consumer, written.get(Topics.VIDEOS), id, answered,
					deadline, (found) -> true)) {
				hops.add(new Hop(record.timestamp(), "announcement sent"));
			}
			int renditions = 0;
			List<ConsumerRecord<String, String>> sent = new ArrayList<>(
					records(consumer, written.get(Topics.RENDITIONS), id, answered, deadline, (found) -> true));
			// On partitions of their own, so read in no particular order.
			sent.sort(Comparator.comparingLong(ConsumerRecord::timestamp));
			for (ConsumerRecord<String, String> record : sent) {
				hops.add(new Hop(record.timestamp(), "rendition message " + (++renditions) + " sent (fan-out)"));
			}
			int statuses = 0;
			for (ConsumerRecord<String, String> record : records(consumer, written.get(Topics.PROGRESS), id, answered,
					deadline, Timeline::endsWithAStatusChange)) {
				JsonNode change = json.readTree(record.value());
				String what = switch (change.path("change").asString()) {
					case ProgressMessage.MEDIA -> "probe recorded";
					case ProgressMessage.RENDITION -> "variant " + change.path("scale").asInt() + " recorded";
					case ProgressMessage.STATUS -> "status changed (" + (++statuses) + ")";
					default -> null;
				};
				if (what != null) {
					hops.add(new Hop(record.timestamp(), what));
				}
			}
		}
		Pattern taken = Pattern.compile("Video " + id + ": took (its announcement|rendition (\\d+))");
		for (Path log : workerLogs) {
			for (String line : Files.readAllLines(log)) {
				Matcher hop = taken.matcher(line);
				Matcher time = LOG_TIME.matcher(line);
				if (hop.find() && time.find()) {
					try {
						long millis = OffsetDateTime.parse(time.group(1)).toInstant().toEpochMilli();
						String what = (hop.group(2) != null) ? "rendition " + hop.group(2) + " taken"
								: "announcement taken (fan-out)";
						hops.add(new Hop(millis, what));
					}
					catch (DateTimeParseException ex) {
						// Not a line of the worker's own format.
					}
				}
			}
		}
		// In the order they came; those of one millisecond in the order found.
		hops.sort(Comparator.comparingLong(Hop::millis));
		Map<String, Long> at = new LinkedHashMap<>();
		hops.forEach((hop) -> at.putIfAbsent(hop.what(), hop.millis() - answered));
		return at;
	}

	/** What happened, at what time in epoch milliseconds. */
	private record Hop(long millis, String what) {
	}

	private static KafkaConsumer<String, String> consumer(String bootstrapServers, String isolation) {
		Properties properties = new Properties();
		properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
		properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
		properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		return new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
	}

	/** The end of each partition of {@code topic}, as {@code consumer} sees it. */
	private static Map<TopicPartition, Long> ends(KafkaConsumer<String, String> consumer, String topic) {
		List<TopicPartition> partitions = new ArrayList<>();
		for (PartitionInfo partition : consumer.partitionsFor(topic, Duration.ofSeconds(10))) {
			partitions.add(new TopicPartition(topic, partition.partition()));
		}
		return consumer.endOffsets(partitions, Duration.ofSeconds(10));
	}

	/** Whether the last of a video's progress messages says its status changed. */
	private static boolean endsWithAStatusChange(List<ConsumerRecord<String, String>> progress) {
		return !progress.isEmpty() && ProgressMessage.STATUS
			.equals(json.readTree(progress.get(progress.size() - 1).value()).path("change").asString());
	}

	/**
	 * The records with the video's key written from {@code since} on, up to {@code ends}:
	 * polled until every partition is read that far (a transaction open there meanwhile
	 * committed or aborted) and the records found are {@code complete}, or until
	 * {@code deadline}.
	 */
	private static List<ConsumerRecord<String, String>> records(KafkaConsumer<String, String> consumer,
			Map<TopicPartition, Long> ends, String id, long since, long deadline,
			Predicate<List<ConsumerRecord<String, String>>> complete) {
		consumer.assign(ends.keySet());
		Map<TopicPartition, Long> from = new LinkedHashMap<>();
		ends.keySet().forEach((partition) -> from.put(partition, since - 5_000));
		Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(from, Duration.ofSeconds(10));
		ends.forEach((partition, end) -> {
			OffsetAndTimestamp offset = offsets.get(partition);
			consumer.seek(partition, (offset != null) ? offset.offset() : end);
		});
		List<ConsumerRecord<String, String>> found = new ArrayList<>();
		while ((ends.entrySet().stream().anyMatch((end) -> consumer.position(end.getKey()) < end.getValue())
				|| !complete.test(found)) && System.nanoTime() < deadline) {
			for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
				if (id.equals(record.key()) && record.timestamp() >= since - 5_000) {
					found.add(record);
				}
			}
		}
		return found;
	}

}
