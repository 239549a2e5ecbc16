package dev.labkafka.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Kafka client for tests, as another program would be one: it writes and reads plain
 * strings, with nothing of the services' own code.
 */
public final class TestKafka {

	private final String bootstrapServers;

	public TestKafka(String bootstrapServers) {
		this.bootstrapServers = bootstrapServers;
	}

	public String bootstrapServers() {
		return this.bootstrapServers;
	}

	/** Sends a record and waits until the broker has it. */
	public RecordMetadata send(String topic, String key, String value) {
		try (Producer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
				this.bootstrapServers, ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(),
				new StringSerializer())) {
			return producer.send(new ProducerRecord<>(topic, key, value)).get();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not send to " + topic, ex);
		}
	}

	/** Sends a record to one partition and waits until the broker has it. */
	public RecordMetadata sendTo(String topic, int partition, String key, String value) {
		try (Producer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
				this.bootstrapServers, ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(),
				new StringSerializer())) {
			return producer.send(new ProducerRecord<>(topic, partition, key, value)).get();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not send to " + topic, ex);
		}
	}

	/**
	 * A consumer in a group of its own that reads from the beginning, with
	 * {@code read_committed} or {@code read_uncommitted} isolation.
	 */
	public Consumer<String, String> consumer(String isolation) {
		return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, this.bootstrapServers,
				ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
				"earliest", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false", ConsumerConfig.ISOLATION_LEVEL_CONFIG,
				isolation), new StringDeserializer(), new StringDeserializer());
	}

	/** A {@code read_committed} consumer subscribed to {@code topic}. */
	public Consumer<String, String> subscribed(String topic) {
		Consumer<String, String> consumer = consumer("read_committed");
		consumer.subscribe(List.of(topic));
		return consumer;
	}

	/** Waits for the first record of {@code topic} that matches, and returns it. */
	public ConsumerRecord<String, String> awaitRecord(String topic, Predicate<ConsumerRecord<String, String>> wanted) {
		try (Consumer<String, String> consumer = subscribed(topic)) {
			return awaitRecords(consumer, wanted, 1).get(0);
		}
	}

	/**
	 * Polls {@code consumer} until {@code count} records that match have arrived, and
	 * returns them.
	 */
	public static List<ConsumerRecord<String, String>> awaitRecords(Consumer<String, String> consumer,
			Predicate<ConsumerRecord<String, String>> wanted, int count) {
		List<ConsumerRecord<String, String>> seen = new ArrayList<>();
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			consumer.poll(Duration.ofMillis(100)).forEach((record) -> {
				if (wanted.test(record)) {
					seen.add(record);
				}
			});
			assertThat(seen).hasSizeGreaterThanOrEqualTo(count);
		});
		return seen;
	}

	/**
	 * Every record of {@code topic} with this key, read to the end of the topic, with
	 * this isolation.
	 */
	public List<ConsumerRecord<String, String>> recordsWithKey(String topic, String key, String isolation) {
		try (Consumer<String, String> consumer = consumer(isolation)) {
			consumer.subscribe(List.of(topic));
			List<ConsumerRecord<String, String>> all = new ArrayList<>();
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				consumer.poll(Duration.ofMillis(200)).forEach(all::add);
				return !consumer.assignment().isEmpty() && consumer.assignment()
					.stream()
					.allMatch((partition) -> consumer.position(partition) >= consumer.endOffsets(List.of(partition))
						.get(partition));
			});
			return all.stream().filter((record) -> key.equals(record.key())).toList();
		}
	}

	/**
	 * Moves {@code group}'s committed offset on a partition to {@code offset}, as if it
	 * had consumed everything before it. The group must have no active members.
	 */
	public void commit(String group, String topic, int partition, long offset) {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.bootstrapServers))) {
			admin
				.alterConsumerGroupOffsets(group,
						Map.of(new TopicPartition(topic, partition), new OffsetAndMetadata(offset)))
				.all()
				.get();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not commit " + group + "'s offset", ex);
		}
	}

	/** Deletes a partition's records before {@code offset}, as retention would. */
	public void deleteRecordsBefore(String topic, int partition, long offset) {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.bootstrapServers))) {
			admin.deleteRecords(Map.of(new TopicPartition(topic, partition), RecordsToDelete.beforeOffset(offset)))
				.all()
				.get();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not delete records of " + topic, ex);
		}
	}

	/**
	 * How far {@code group}'s committed offsets are behind the end of each partition of
	 * {@code topic}, as lag monitors (and KEDA) compute it; a partition without a
	 * committed offset counts from its start.
	 */
	public Map<Integer, Long> lag(String group, String topic) {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.bootstrapServers))) {
			Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
				.partitionsToOffsetAndMetadata()
				.get();
			Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
			admin.describeTopics(List.of(topic))
				.allTopicNames()
				.get()
				.get(topic)
				.partitions()
				.forEach(
						(partition) -> ends.put(new TopicPartition(topic, partition.partition()), OffsetSpec.latest()));
			Map<Integer, Long> lag = new TreeMap<>();
			admin.listOffsets(ends).all().get().forEach((partition, end) -> {
				OffsetAndMetadata at = committed.get(partition);
				lag.put(partition.partition(), end.offset() - ((at != null) ? at.offset() : 0));
			});
			return lag;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Could not read " + group + "'s lag", ex);
		}
	}

	/** Waits until {@code group} has committed an offset past {@code record}. */
	public void awaitConsumed(String group, RecordMetadata record) {
		TopicPartition partition = new TopicPartition(record.topic(), record.partition());
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.bootstrapServers))) {
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
					.partitionsToOffsetAndMetadata()
					.get();
				assertThat(offsets.get(partition)).as("%s's offset on %s", group, partition).isNotNull();
				assertThat(offsets.get(partition).offset()).isGreaterThan(record.offset());
			});
		}
	}

}
