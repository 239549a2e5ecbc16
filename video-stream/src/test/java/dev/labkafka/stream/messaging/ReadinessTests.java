package dev.labkafka.stream.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.labkafka.messages.Topics;
import dev.labkafka.stream.media.MediaTools;
import dev.labkafka.stream.progress.VideoProgress;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.boot.health.contributor.Status;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.MessageListenerContainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.Mockito.mock;

/**
 * The worker is ready once every consumer thread of its running containers has been
 * through a rebalance, with partitions or without; the end-to-end tests see it on real
 * consumers.
 */
class ReadinessTests {

	final KafkaListenerEndpointRegistry registry = mock(KafkaListenerEndpointRegistry.class);

	final List<Object> events = new ArrayList<>();

	final AtomicBoolean settled = new AtomicBoolean(true);

	/** Every consumer made by {@link #consumer}. */
	final List<Consumer<?, ?>> made = new ArrayList<>();

	@SuppressWarnings("unchecked")
	final Readiness readiness = new Readiness(this.registry, mock(KafkaTemplate.class), mock(VideoProgress.class),
			mock(MediaTools.class), this.events::add, this.settled::get, Runnable::run);

	@Test
	void isOutOfServiceUntilEveryConsumerHasJoinedItsGroup() {
		List<MessageListenerContainer> containers = List.of(container(3, true), container(4, true),
				container(2, false));
		given(this.registry.getListenerContainers()).willReturn(containers);
		List<Consumer<?, ?>> consumers = new ArrayList<>();
		for (int i = 0; i < 7; i++) {
			consumers.add(consumer(Topics.FAN_OUT_GROUP));
		}

		for (int i = 0; i < 6; i++) {
			this.readiness.onPartitionsAssigned(consumers.get(i), List.of(new TopicPartition("videos", i)));
			assertThat(this.readiness.health().getStatus()).as("%d of 7 joined", i + 1)
				.isEqualTo(Status.OUT_OF_SERVICE);
		}
		this.readiness.onPartitionsAssigned(consumers.get(6), List.of());

		assertThat(this.readiness.health().getStatus()).as("the last one got no partition, but joined")
			.isEqualTo(Status.UP);
		this.readiness.onPartitionsAssigned(consumers.get(0), List.of());
		assertThat(this.readiness.health().getDetails()).containsEntry("joined", 7).containsEntry("consumers", 7);
	}

	@Test
	void isOutOfServiceUntilTheRenditionsGroupHasSettledOnce() {
		List<MessageListenerContainer> containers = List.of(container(2, true));
		given(this.registry.getListenerContainers()).willReturn(containers);
		this.readiness.onPartitionsAssigned(consumer(Topics.RENDITIONS_GROUP), List.of());
		this.readiness.onPartitionsAssigned(consumer(Topics.RENDITIONS_GROUP), List.of());
		this.settled.set(false);
		assertThat(this.readiness.health().getStatus()).as("joined, between the two steps of a rebalance")
			.isEqualTo(Status.OUT_OF_SERVICE);
		this.settled.set(true);
		assertThat(this.readiness.health().getStatus()).isEqualTo(Status.UP);
		this.settled.set(false);
		assertThat(this.readiness.health().getStatus()).as("settled once: a later rebalance is no reason")
			.isEqualTo(Status.UP);
	}

	@Test
	void doesNotWaitForAGroupItMayNotDescribe() {
		List<MessageListenerContainer> containers = List.of(container(1, true));
		given(this.registry.getListenerContainers()).willReturn(containers);
		Readiness refused = new Readiness(this.registry, mock(KafkaTemplate.class), mock(VideoProgress.class),
				mock(MediaTools.class), this.events::add, () -> {
					throw new IllegalStateException(new GroupAuthorizationException("not allowed"));
				}, Runnable::run);
		refused.onPartitionsAssigned(consumer(Topics.RENDITIONS_GROUP), List.of());
		assertThat(refused.health().getStatus()).isEqualTo(Status.UP);
		Readiness failing = new Readiness(this.registry, mock(KafkaTemplate.class), mock(VideoProgress.class),
				mock(MediaTools.class), this.events::add, () -> {
					throw new IllegalStateException(new TimeoutException("no answer"));
				}, Runnable::run);
		failing.onPartitionsAssigned(consumer(Topics.RENDITIONS_GROUP), List.of());
		assertThat(failing.health().getStatus()).as("unread for another reason").isEqualTo(Status.OUT_OF_SERVICE);
	}

	@Test
	void doesNotWaitForAReadOfTheRenditionsGroup() {
		List<MessageListenerContainer> containers = List.of(container(1, true));
		given(this.registry.getListenerContainers()).willReturn(containers);
		CountDownLatch answer = new CountDownLatch(1);
		AtomicInteger reads = new AtomicInteger();
		Readiness slow = new Readiness(this.registry, mock(KafkaTemplate.class), mock(VideoProgress.class),
				mock(MediaTools.class), this.events::add, () -> {
					reads.incrementAndGet();
					await(answer);
					return true;
				}, (task) -> new Thread(task, "slow-read").start());
		slow.onPartitionsAssigned(consumer(Topics.RENDITIONS_GROUP), List.of());

		long start = System.nanoTime();
		assertThat(slow.health().getStatus()).as("the group's coordinator has not answered yet")
			.isEqualTo(Status.OUT_OF_SERVICE);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
		Awaitility.await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(reads).hasValue(1));
		for (int i = 0; i < 3; i++) {
			assertThat(slow.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
		}
		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("each probe waits half a second at most")
			.isLessThan(Duration.ofSeconds(3));
		assertThat(reads).as("one read at a time").hasValue(1);

		answer.countDown();
		// A bound, not a measure: on a loaded CI machine 2 s were once too few.
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(slow.health().getStatus()).isEqualTo(Status.UP));
	}

	@Test
	void warmsUpTheRestWhenOneWarmUpFails() {
		KafkaTemplate<Object, Object> kafka = kafka(producer());
		given(kafka.executeInTransaction(any())).willThrow(new KafkaException("no metadata"));
		VideoProgress progress = mock(VideoProgress.class);
		Readiness warming = new Readiness(this.registry, kafka, progress, mock(MediaTools.class), this.events::add,
				this.settled::get, Runnable::run);

		warming.run(new DefaultApplicationArguments());

		Producer<Object, Object> producer = kafka.getProducerFactory().createProducer();
		then(producer).should().sendOffsetsToTransaction(any(), any(ConsumerGroupMetadata.class));
		then(producer).should().abortTransaction();
		then(progress).should().warmUp();
		then(progress).should().warmUpEvents();
	}

	@Test
	void waitsForTheOffsetCommitsWarmUpAFewSecondsAtMost() {
		CountDownLatch coordinator = new CountDownLatch(1);
		Producer<Object, Object> producer = producer();
		willAnswer((invocation) -> {
			await(coordinator, Duration.ofSeconds(20));
			return null;
		}).given(producer).sendOffsetsToTransaction(any(), any(ConsumerGroupMetadata.class));
		VideoProgress progress = mock(VideoProgress.class);
		Readiness warming = new Readiness(this.registry, kafka(producer), progress, mock(MediaTools.class),
				this.events::add, this.settled::get, Runnable::run);
		try {
			long start = System.nanoTime();
			warming.run(new DefaultApplicationArguments());
			assertThat(Duration.ofNanos(System.nanoTime() - start))
				.isLessThan(Readiness.OFFSET_COMMIT_WARM_UP.plusSeconds(3));
			then(progress).should().warmUp();
		}
		finally {
			coordinator.countDown();
		}
	}

	@SuppressWarnings("unchecked")
	private static Producer<Object, Object> producer() {
		return mock(Producer.class);
	}

	@SuppressWarnings("unchecked")
	private static KafkaTemplate<Object, Object> kafka(Producer<Object, Object> producer) {
		ProducerFactory<Object, Object> producers = mock(ProducerFactory.class);
		given(producers.createProducer()).willReturn(producer);
		KafkaTemplate<Object, Object> kafka = mock(KafkaTemplate.class);
		given(kafka.getProducerFactory()).willReturn(producers);
		return kafka;
	}

	private static void await(CountDownLatch latch) {
		await(latch, Duration.ofSeconds(3));
	}

	private static void await(CountDownLatch latch, Duration atMost) {
		try {
			latch.await(atMost.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Test
	void saysWhenAConsumerOfTheRenditionsGroupWentThroughARebalance() {
		this.readiness.onPartitionsAssigned(consumer(Topics.FAN_OUT_GROUP), List.of());
		assertThat(this.events).as("another group").isEmpty();
		Consumer<?, ?> renditions = consumer(Topics.RENDITIONS_GROUP);
		this.readiness.onPartitionsAssigned(renditions, List.of());
		this.readiness.onPartitionsRevokedAfterCommit(renditions, List.of(new TopicPartition(Topics.RENDITIONS, 1)));
		this.readiness.onPartitionsLost(renditions, List.of(new TopicPartition(Topics.RENDITIONS, 2)));
		assertThat(this.events).containsExactly(new RenditionsRebalanced(), new RenditionsRebalanced(),
				new RenditionsRebalanced());
	}

	/**
	 * A consumer of the group, held by the test as its container holds it: Readiness
	 * keeps the consumers weakly, and a collection in the middle of a test would
	 * otherwise take one that has joined.
	 */
	private Consumer<?, ?> consumer(String group) {
		Consumer<?, ?> consumer = mock(Consumer.class);
		given(consumer.groupMetadata()).willReturn(new ConsumerGroupMetadata(group));
		this.made.add(consumer);
		return consumer;
	}

	private static MessageListenerContainer container(int concurrency, boolean running) {
		ConcurrentMessageListenerContainer<?, ?> container = mock(ConcurrentMessageListenerContainer.class);
		given(container.getConcurrency()).willReturn(concurrency);
		given(container.isRunning()).willReturn(running);
		return container;
	}

}
