package dev.labkafka.stream.progress;

import java.util.concurrent.CompletableFuture;

import dev.labkafka.messages.ProgressMessage;
import dev.labkafka.messages.Topics;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.ArgumentCaptor;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.kafka.core.ProducerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

/**
 * The changes told to the API, with the producer mocked: keyed by the video, and a change
 * that cannot be sent is logged and dropped, not thrown at the step that made it (the
 * change is in MongoDB already).
 */
@ExtendWith(OutputCaptureExtension.class)
class ProgressEventsTests {

	static final String ID = "65a1b2c3d4e5f6a7b8c9d0e1";

	@SuppressWarnings("unchecked")
	final Producer<Object, Object> producer = mock(Producer.class);

	final ProgressEvents events = new ProgressEvents(producers(this.producer));

	@Test
	void sendsTheChangeKeyedByTheVideo() {
		given(this.producer.send(any(), any())).willReturn(new CompletableFuture<>());

		this.events.publish(ProgressMessage.media(ID));

		ArgumentCaptor<ProducerRecord<Object, Object>> sent = ArgumentCaptor.captor();
		verify(this.producer).send(sent.capture(), any());
		assertThat(sent.getValue().topic()).isEqualTo(Topics.PROGRESS);
		assertThat(sent.getValue().key()).isEqualTo(ID);
		assertThat(sent.getValue().value()).isEqualTo(ProgressMessage.media(ID));
	}

	@Test
	@SuppressWarnings("unchecked")
	void theWarmUpMakesTheProducerThatTellsChangesOutsideTransactionsAndSendsNothing() {
		Producer<Object, Object> transactional = mock(Producer.class);
		Producer<Object, Object> nonTransactional = mock(Producer.class);
		ProducerFactory<Object, Object> producers = mock(ProducerFactory.class);
		given(producers.transactionCapable()).willReturn(true);
		given(producers.createProducer()).willReturn(transactional);
		given(producers.createProducer(any())).willReturn(transactional);
		given(producers.createNonTransactionalProducer()).willReturn(nonTransactional);
		ProgressEvents events = new ProgressEvents(producers);
		given(nonTransactional.send(any(), any())).willReturn(new CompletableFuture<>());

		events.warmUp();
		events.publish(ProgressMessage.media(ID));

		verify(nonTransactional).partitionsFor(Topics.PROGRESS);
		verify(nonTransactional).send(any(), any());
		verify(transactional, never()).partitionsFor(any());
		verify(transactional, never()).send(any(), any());
	}

	@Test
	void dropsAChangeTheProducerRefuses(CapturedOutput output) {
		given(this.producer.send(any(), any())).willThrow(new KafkaException("buffer full"));

		assertThatNoException().isThrownBy(() -> this.events.publish(ProgressMessage.status(ID)));
		assertThat(output).contains("Could not tell the API that video " + ID + " changed (status)")
			.contains("buffer full");
	}

	@Test
	void dropsAChangeTheBrokerNeverGot(CapturedOutput output) {
		willAnswer((invocation) -> {
			invocation.<Callback>getArgument(1).onCompletion(null, new KafkaException("broker gone"));
			return new CompletableFuture<>();
		}).given(this.producer).send(any(), any());

		assertThatNoException().isThrownBy(() -> this.events.publish(ProgressMessage.rendition(ID, 480)));
		assertThat(output).contains("Could not tell the API that video " + ID + " changed (rendition)")
			.contains("broker gone");
	}

	@SuppressWarnings("unchecked")
	private static ProducerFactory<Object, Object> producers(Producer<Object, Object> producer) {
		ProducerFactory<Object, Object> producers = mock(ProducerFactory.class);
		given(producers.createProducer()).willReturn(producer);
		given(producers.createNonTransactionalProducer()).willReturn(producer);
		return producers;
	}

}
