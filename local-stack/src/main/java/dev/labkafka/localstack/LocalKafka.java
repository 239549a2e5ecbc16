package dev.labkafka.localstack;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Apache Kafka broker in KRaft mode (broker and controller in one process),
 * as {@code kafka-server-start.sh} would run it: the storage is formatted on first start
 * and kept across restarts.
 */
final class LocalKafka {

	private static final Logger logger = LoggerFactory.getLogger(LocalKafka.class);

	private final Path directory;

	private final int port;

	private final int controllerPort;

	LocalKafka(Path directory, int port, int controllerPort) {
		this.directory = directory;
		this.port = port;
		this.controllerPort = controllerPort;
	}

	void run() throws IOException {
		Path logs = this.directory.resolve("logs");
		Files.createDirectories(logs);
		Path config = this.directory.resolve("server.properties");
		try (OutputStream out = Files.newOutputStream(config)) {
			serverProperties(logs).store(out, "Written by local-stack on every start");
		}
		if (!Files.exists(logs.resolve("meta.properties"))) {
			format(config);
		}
		Readiness.announceWhenListening("Kafka broker", this.port,
				"bootstrap servers 127.0.0.1:" + this.port + ", data in " + this.directory);
		kafka.Kafka.main(new String[] { config.toString() });
	}

	Properties serverProperties(Path logs) {
		Properties properties = new Properties();
		properties.setProperty("process.roles", "broker,controller");
		properties.setProperty("node.id", "1");
		properties.setProperty("controller.quorum.voters", "1@127.0.0.1:" + this.controllerPort);
		properties.setProperty("listeners",
				"PLAINTEXT://127.0.0.1:" + this.port + ",CONTROLLER://127.0.0.1:" + this.controllerPort);
		properties.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + this.port);
		properties.setProperty("controller.listener.names", "CONTROLLER");
		properties.setProperty("inter.broker.listener.name", "PLAINTEXT");
		properties.setProperty("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
		properties.setProperty("log.dirs", logs.toString());
		// One broker: every internal topic has one replica.
		properties.setProperty("offsets.topic.replication.factor", "1");
		properties.setProperty("transaction.state.log.replication.factor", "1");
		properties.setProperty("transaction.state.log.min.isr", "1");
		properties.setProperty("share.coordinator.state.topic.replication.factor", "1");
		properties.setProperty("share.coordinator.state.topic.min.isr", "1");
		properties.setProperty("group.initial.rebalance.delay.ms", "0");
		// Topics are created by the worker with the partitions the design needs, never by
		// accident (a send to a missing topic would otherwise create it with one).
		properties.setProperty("auto.create.topics.enable", "false");
		return properties;
	}

	private void format(Path config) {
		String clusterId = Uuid.randomUuid().toString();
		logger.info("Formatting Kafka storage in {} (cluster id {})", this.directory, clusterId);
		int status = StorageTool.execute(new String[] { "format", "-t", clusterId, "-c", config.toString() },
				new PrintStream(System.out, true));
		if (status != 0) {
			throw new IllegalStateException("Formatting the Kafka storage failed with status " + status);
		}
	}

}
