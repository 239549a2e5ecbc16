package dev.labkafka.browser;

import java.util.ArrayList;
import java.util.List;

import dev.labkafka.api.VideoApiApplication;
import dev.labkafka.localstack.FreePorts;
import dev.labkafka.stream.VideoStreamApplication;
import dev.labkafka.testsupport.MongoWireServer;
import dev.labkafka.testsupport.TestBrokers;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.kafka.test.utils.ContainerTestUtils;

/**
 * The whole pipeline in this JVM for a page to be tried on: an embedded Kafka broker of
 * its own, the shared MongoDB-wire server, the worker and the API, whose page is served
 * on a browser port of its own ({@link #page}), since browsers refuse the API's 10080.
 */
final class PagePipeline implements AutoCloseable {

	private final EmbeddedKafkaKraftBroker kafka;

	private final ConfigurableApplicationContext stream;

	private final ConfigurableApplicationContext api;

	/** The argument that connects an application to the broker. */
	final String kafkaServers;

	/** The argument that connects an application to the database. */
	final String mongo;

	/** The web page's origin. */
	final String page;

	/** The API's own address, for the test's requests. */
	final String apiUrl;

	private PagePipeline(List<String> workerArguments) {
		this.kafka = TestBrokers.start();
		this.kafkaServers = "--spring.kafka.bootstrap-servers=" + this.kafka.getBrokersAsString();
		this.mongo = "--spring.mongodb.uri=" + MongoWireServer.shared().uri();
		List<String> worker = new ArrayList<>(List.of(this.kafkaServers, this.mongo, "--server.port=0"));
		worker.addAll(workerArguments);
		this.stream = VideoStreamApplication.application().run(worker.toArray(String[]::new));
		int browserPort = FreePorts.next();
		this.api = VideoApiApplication.application()
			.run(this.kafkaServers, this.mongo, "--server.port=0", "--video.api.browser-port=" + browserPort);
		this.page = "http://localhost:" + browserPort;
		this.apiUrl = "http://localhost:" + this.api.getEnvironment().getProperty("local.server.port");
		KafkaListenerEndpointRegistry listeners = this.stream.getBean(KafkaListenerEndpointRegistry.class);
		ContainerTestUtils.waitForAssignment(listeners.getListenerContainer("fan-out"), 6);
		ContainerTestUtils.waitForAssignment(listeners.getListenerContainer("renditions"), 24);
	}

	/** Starts it, the worker with these arguments too; returns once its consumers run. */
	static PagePipeline start(String... workerArguments) {
		return new PagePipeline(List.of(workerArguments));
	}

	@Override
	public void close() {
		this.api.close();
		this.stream.close();
		this.kafka.destroy();
	}

}
