package dev.labkafka.stream.segment;

import java.util.List;

import dev.labkafka.messages.VideoMessage.Part;
import dev.labkafka.stream.media.MediaInfo;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where long videos are cut: on one grid from the picture's first frame, a short rest
 * joined to the last segment, and some videos kept whole.
 */
class SegmentPlanTests {

	final SegmentPlan plan = new SegmentPlan(true, 30, 10);

	@Test
	void keepsAVideoNotLongerThanTheThresholdWhole() {
		assertThat(this.plan.count(30)).isZero();
		assertThat(this.plan.count(12)).isZero();
		assertThat(this.plan.count(30.04)).isEqualTo(3);
		assertThat(new SegmentPlan(false, 30, 10).count(3600)).as("not enabled").isZero();
		assertThat(new SegmentPlan(true, 0, 10).count(12)).as("one segment is a whole rendition").isZero();
		assertThat(this.plan.count(Double.NaN)).isZero();
	}

	@Test
	void joinsARestShorterThanHalfASegmentToTheLastOne() {
		assertThat(this.plan.count(44)).as("four of 10 s and one of 4 s: 4 s is under half").isEqualTo(4);
		assertThat(this.plan.count(45)).as("five: the last 5 s long").isEqualTo(5);
		assertThat(this.plan.count(3600)).isEqualTo(360);
		assertThat(this.plan.count(3604.9)).isEqualTo(360);
	}

	@Test
	void cutsEveryRenditionAtTheSameTimesFromThePicturesFirstFrame() {
		MediaInfo original = info(45, 1.4, true, true);
		List<Part> tall = this.plan.parts(original, 1080);
		List<Part> short_ = this.plan.parts(original, 360);
		assertThat(tall).extracting(Part::start).containsExactly(0.0, 10.0, 20.0, 30.0, 40.0);
		assertThat(tall).extracting(Part::start).isEqualTo(short_.stream().map(Part::start).toList());
		assertThat(tall).allSatisfy((part) -> {
			assertThat(part.origin()).isEqualTo(1.4);
			assertThat(part.count()).isEqualTo(5);
			assertThat(part.height()).isEqualTo(1080);
			assertThat(part.seekMargin()).as("an MP4 is seeked exactly").isZero();
			assertThat(part.valid()).isTrue();
		});
		assertThat(tall.get(4).last()).isTrue();
		assertThat(tall.get(3).last()).isFalse();
	}

	@Test
	void keepsAVideoWhoseContainerHasNoIndexOfItsKeyframesWhole() {
		assertThat(this.plan.parts(info(45, 1.4, false, true), 720)).isEmpty();
		assertThat(this.plan.parts(info(45, 1.4, true, true), 720)).hasSize(5);
	}

	@Test
	void keepsAVideoWhoseFramesComeAtAVaryingRateWhole() {
		assertThat(this.plan.parts(info(45, 0, true, false), 720)).isEmpty();
	}

	@Test
	void refusesPartsNoPlanMakes() {
		assertThat(new Part(0, 1, 10, 720, 0, 0).valid()).as("a plan of one").isFalse();
		assertThat(new Part(5, 5, 10, 720, 0, 0).valid()).as("past the last").isFalse();
		assertThat(new Part(0, 5, 0, 720, 0, 0).valid()).as("no length").isFalse();
		assertThat(new Part(0, 5, 10, 0, 0, 0).valid()).as("no height").isFalse();
		assertThat(new Part(0, 5, 10, 720, Double.NaN, 0).valid()).isFalse();
		assertThat(new Part(0, 5, Double.POSITIVE_INFINITY, 720, 0, 0).valid()).isFalse();
		assertThat(Part.sound(5).valid()).isTrue();
		assertThat(new Part(Part.SOUND, 0, 0, 0, 0, 0).valid()).isFalse();
	}

	private static MediaInfo info(double duration, double videoStart, boolean indexed, boolean steady) {
		return new MediaInfo(1920, 1080, duration, true, "avc1.640028", "mp4a.40.2", 2, 30, videoStart, indexed,
				videoStart, steady);
	}

}
