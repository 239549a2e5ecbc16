package dev.labkafka.stream.fanout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.labkafka.testsupport.MongoWireServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.mongodb.core.MongoTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared sequence of rendition turns on a MongoDB-wire server, taken by two workers'
 * worth of clients at once.
 */
class RenditionTurnsTests {

	private final List<MongoClient> clients = new ArrayList<>();

	@AfterEach
	void closeClients() {
		this.clients.forEach(MongoClient::close);
	}

	@Test
	void workersTakingTurnsAtOnceNeverGetTheSameTurn() throws Exception {
		// Two workers, each with its own client, as two processes would be.
		List<RenditionTurns> workers = List.of(new RenditionTurns(template()), new RenditionTurns(template()));
		ExecutorService threads = Executors.newFixedThreadPool(8);
		List<Future<List<Long>>> takes = new ArrayList<>();
		for (int thread = 0; thread < 8; thread++) {
			RenditionTurns turns = workers.get(thread % 2);
			takes.add(threads.submit(() -> {
				List<Long> firsts = new ArrayList<>();
				for (int take = 0; take < 25; take++) {
					firsts.add(turns.take(4));
				}
				return firsts;
			}));
		}
		List<Long> firsts = new ArrayList<>();
		for (Future<List<Long>> take : takes) {
			firsts.addAll(take.get());
		}
		threads.shutdown();
		// 200 takes of 4 turns: 200 runs of four turns one after the other, none shared.
		long lowest = firsts.stream().mapToLong(Long::longValue).min().orElseThrow();
		assertThat(firsts).hasSize(200)
			.doesNotHaveDuplicates()
			.allSatisfy((first) -> assertThat((first - lowest) % 4).isZero());
		assertThat(firsts.stream().mapToLong(Long::longValue).max()).hasValue(lowest + 199 * 4);
	}

	private MongoTemplate template() {
		MongoClient client = MongoClients.create(MongoWireServer.shared().uri());
		this.clients.add(client);
		return new MongoTemplate(client, MongoWireServer.DATABASE);
	}

}
