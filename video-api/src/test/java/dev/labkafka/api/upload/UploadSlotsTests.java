package dev.labkafka.api.upload;

import java.util.Map;

import dev.labkafka.api.VideoApiSettings;
import dev.labkafka.api.problems.ApiProblem;
import dev.labkafka.api.problems.ProblemException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * One client's share of the upload slots: a client is its token's subject when the
 * request carries one, else its address.
 */
class UploadSlotsTests {

	/** Four slots, half of them for one client at most. */
	final UploadSlots slots = new UploadSlots(settings(Map.of("video.api.upload.max-concurrent", "4")));

	@Test
	void aClientHoldsAtMostItsShareAndAnotherStillGetsASlot() {
		UploadSlots.Slot first = this.slots.take(withToken("alice", "10.0.0.1"));
		this.slots.take(withToken("alice", "10.0.0.2"));

		assertThatExceptionOfType(ProblemException.class)
			.isThrownBy(() -> this.slots.take(withToken("alice", "10.0.0.3")))
			.satisfies((refused) -> assertThat(refused.is(ApiProblem.TOO_MANY_UPLOADS_FROM_CLIENT)).isTrue())
			.satisfies((refused) -> assertThat(refused.getHeaders().getFirst("Retry-After")).isNotNull());
		assertThat(this.slots.take(withToken("bob", "10.0.0.1"))).as("another subject, same address").isNotNull();

		first.close();
		first.close();
		assertThat(this.slots.take(withToken("alice", "10.0.0.1"))).as("a slot given back").isNotNull();
		assertThat(this.slots.inUse()).isEqualTo(3);
	}

	@Test
	void withoutATokenTheClientIsItsAddress() {
		this.slots.take(anonymous("10.0.0.1"));
		this.slots.take(anonymous("10.0.0.1"));

		assertThatExceptionOfType(ProblemException.class).isThrownBy(() -> this.slots.take(anonymous("10.0.0.1")))
			.satisfies((refused) -> assertThat(refused.is(ApiProblem.TOO_MANY_UPLOADS_FROM_CLIENT)).isTrue());
		this.slots.take(anonymous("10.0.0.2"));
		this.slots.take(anonymous("10.0.0.3"));
		assertThatExceptionOfType(ProblemException.class).isThrownBy(() -> this.slots.take(anonymous("10.0.0.4")))
			.satisfies((refused) -> assertThat(refused.is(ApiProblem.TOO_MANY_UPLOADS)).isTrue());
	}

	@Test
	void aClientHasAtLeastOneSlot() {
		UploadSlots one = new UploadSlots(settings(Map.of("video.api.upload.max-concurrent", "1")));

		assertThat(one.take(anonymous("10.0.0.1"))).isNotNull();
	}

	private static MockHttpServletRequest withToken(String subject, String address) {
		MockHttpServletRequest request = anonymous(address);
		request.setUserPrincipal(() -> subject);
		return request;
	}

	private static MockHttpServletRequest anonymous(String address) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/v1/videos");
		request.setRemoteAddr(address);
		return request;
	}

	private static VideoApiSettings settings(Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("video.api",
				VideoApiSettings.class);
	}

}
