package dev.labkafka.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Instances of a service that a test starts itself, several side by side, on a free port
 * each, on the given Kafka brokers and the shared {@link MongoWireServer}; closes them
 * all at once.
 */
public final class Instances implements AutoCloseable {

	private final Supplier<SpringApplication> application;

	private final List<String> arguments;

	private final List<ConfigurableApplicationContext> started = new ArrayList<>();

	/**
	 * @param application the service as its {@code main} runs it
	 * @param bootstrapServers the brokers
	 * @param arguments arguments every instance gets
	 */
	public Instances(Supplier<SpringApplication> application, String bootstrapServers, String... arguments) {
		this.application = application;
		this.arguments = new ArrayList<>(
				List.of("--server.port=0", "--spring.kafka.bootstrap-servers=" + bootstrapServers,
						"--spring.mongodb.uri=" + MongoWireServer.shared().uri()));
		this.arguments.addAll(List.of(arguments));
	}

	/** Starts one more instance, with these arguments besides the common ones. */
	public ConfigurableApplicationContext start(String... more) {
		List<String> all = new ArrayList<>(this.arguments);
		all.addAll(List.of(more));
		ConfigurableApplicationContext context = this.application.get().run(all.toArray(String[]::new));
		this.started.add(context);
		return context;
	}

	/** Closes every instance still running. */
	@Override
	public void close() {
		for (ConfigurableApplicationContext context : this.started) {
			if (context.isActive()) {
				context.close();
			}
		}
	}

}
