package dev.labkafka.localstack;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The local stack as {@code make run} starts it: separate processes, stopped with
 * SIGTERM.
 */
class LocalStackProcessTests {

	@TempDir
	Path data;

	private final List<Process> processes = new ArrayList<>();

	@AfterEach
	void stopAll() {
		this.processes.forEach(Process::destroyForcibly);
	}

	@Test
	void runsARealKafkaBrokerThatKeepsItsRecordsAcrossARestart() throws Exception {
		int port = FreePorts.next();
		Map<String, String> env = Map.of("KAFKA_PORT", String.valueOf(port), "KAFKA_CONTROLLER_PORT",
				String.valueOf(FreePorts.next()));
		Process broker = start("kafka", env);
		String servers = "127.0.0.1:" + port;
		awaitListening(port);
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers, ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000),
				new StringSerializer(), new StringSerializer())) {
			assertThatExceptionOfType(ExecutionException.class)
				.as("a send to a missing topic creates no topic with the wrong partitions")
				.isThrownBy(() -> producer.send(new ProducerRecord<>("smoke", "key", "lost")).get())
				.withCauseInstanceOf(TimeoutException.class);
		}
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
			admin.createTopics(List.of(new NewTopic("smoke", 1, (short) 1))).all().get();
		}
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers, ProducerConfig.ACKS_CONFIG, "all"),
				new StringSerializer(), new StringSerializer())) {
			producer.send(new ProducerRecord<>("smoke", "key", "kept")).get();
		}
		stop(broker);

		start("kafka", env);
		awaitListening(port);
		assertThat(consumeOne(servers, "smoke").value()).isEqualTo("kept");
	}

	@Test
	void runsAMongoWireServerThatMongoshAcceptsAndThatKeepsItsDataAcrossARestart() throws Exception {
		int port = FreePorts.next();
		Map<String, String> env = Map.of("MONGO_PORT", String.valueOf(port));
		Process server = start("mongo", env);
		awaitListening(port);
		String uri = "mongodb://127.0.0.1:" + port;
		try (MongoClient client = MongoClients.create(uri)) {
			Document hello = client.getDatabase("admin").runCommand(new Document("hello", 1));
			assertThat(hello.getInteger("maxWireVersion")).as("mongosh 2.x needs 9 or more").isEqualTo(13);
			assertThat(hello.getBoolean("isWritablePrimary")).as("as MongoDB 4.4+ answers hello").isTrue();
			videos(client).insertOne(new Document("_id", "kept").append("status", "uploaded"));
		}
		stop(server);

		start("mongo", env);
		awaitListening(port);
		try (MongoClient client = MongoClients.create(uri)) {
			assertThat(videos(client).find(new Document("_id", "kept")).first()).containsEntry("status", "uploaded");
		}
	}

	@Test
	void refusesAnUnknownPart() throws Exception {
		Process process = start("postgres", Map.of());
		assertThat(process.waitFor()).isEqualTo(2);
	}

	private Process start(String part, Map<String, String> env) throws IOException {
		ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx512m", "-cp", System.getProperty("java.class.path"), LocalStack.class.getName(), part);
		builder.environment().putAll(env);
		builder.environment().put("LOCAL_STACK_DATA", this.data.toString());
		builder.redirectErrorStream(true).redirectOutput(this.data.resolve(part + ".log").toFile());
		Process process = builder.start();
		this.processes.add(process);
		return process;
	}

	/**
	 * SIGTERM, as Ctrl-C in {@code make run} ends up sending: the process must stop
	 * cleanly.
	 */
	private static void stop(Process process) throws InterruptedException {
		process.destroy();
		assertThat(process.waitFor(Duration.ofSeconds(30).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS))
			.isTrue();
	}

	private static void awaitListening(int port) {
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
			try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
				return true;
			}
			catch (IOException ex) {
				return false;
			}
		});
	}

	private static ConsumerRecord<String, String> consumeOne(String servers, String topic) {
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers, ConsumerConfig.GROUP_ID_CONFIG,
						UUID.randomUUID().toString(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
				new StringDeserializer(), new StringDeserializer())) {
			consumer.subscribe(List.of(topic));
			List<ConsumerRecord<String, String>> records = new ArrayList<>();
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				consumer.poll(Duration.ofMillis(200)).forEach(records::add);
				return !records.isEmpty();
			});
			return records.get(0);
		}
	}

	private static MongoCollection<Document> videos(MongoClient client) {
		return client.getDatabase("nthu_distributed_system").getCollection("videos");
	}

}
