package dev.labkafka.localstack;

import java.nio.file.Path;

/**
 * Runs one piece of infrastructure for {@code make run} on a machine without Docker:
 * {@code kafka} (a real Apache Kafka broker in KRaft mode) or {@code mongo} (a
 * MongoDB-wire server). Each runs in the foreground until SIGTERM or Ctrl-C, listens on
 * 127.0.0.1 only, and keeps its data under {@code LOCAL_STACK_DATA} (default
 * {@code .data}).
 * <p>
 * Environment: {@code LOCAL_STACK_DATA}, {@code KAFKA_PORT} (9092),
 * {@code KAFKA_CONTROLLER_PORT} (9093), {@code MONGO_PORT} (27017).
 */
public final class LocalStack {

	private LocalStack() {
	}

	public static void main(String[] args) throws Exception {
		Path data = Path.of(env("LOCAL_STACK_DATA", ".data")).toAbsolutePath();
		String what = (args.length == 1) ? args[0] : "";
		switch (what) {
			case "kafka" ->
				new LocalKafka(data.resolve("kafka"), port("KAFKA_PORT", 9092), port("KAFKA_CONTROLLER_PORT", 9093))
					.run();
			case "mongo" -> new LocalMongo(data.resolve("mongo"), port("MONGO_PORT", 27017)).run();
			default -> {
				System.err.println("Usage: java -jar local-stack-exec.jar kafka|mongo");
				System.exit(2);
			}
		}
	}

	static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value == null || value.isBlank()) ? fallback : value;
	}

	private static int port(String name, int fallback) {
		return Integer.parseInt(env(name, String.valueOf(fallback)));
	}

}
