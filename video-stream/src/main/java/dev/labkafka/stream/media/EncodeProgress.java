package dev.labkafka.stream.media;

import java.util.function.Consumer;
import java.util.function.DoubleConsumer;

/**
 * Reads ffmpeg's {@code -progress} lines ({@code out_time_us=...}) and hands on how far
 * the output moved.
 */
final class EncodeProgress implements Consumer<String> {

	private static final String OUT_TIME = "out_time_us=";

	private final DoubleConsumer encoded;

	private long lastMicros;

	EncodeProgress(DoubleConsumer encoded) {
		this.encoded = encoded;
	}

	@Override
	public void accept(String line) {
		if (!line.startsWith(OUT_TIME)) {
			return;
		}
		try {
			long micros = Long.parseLong(line.substring(OUT_TIME.length()).strip());
			if (micros > this.lastMicros) {
				this.encoded.accept((micros - this.lastMicros) / 1e6);
				this.lastMicros = micros;
			}
		}
		catch (NumberFormatException ex) {
			// "N/A" before the first frame.
		}
	}

}
