package dev.labkafka.api.tus.limits;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * How fast each client may create uploads on this instance: a token bucket per client
 * that holds {@code burst} creations and fills with {@code perMinute} a minute. At most
 * {@code maxClients} buckets are kept; the one used least recently is forgotten first
 * (one idle long enough to be full again loses nothing by it).
 */
public final class CreationRate {

	private static final long MINUTE = Duration.ofMinutes(1).toNanos();

	private final int burst;

	private final double perNano;

	private final LongSupplier nanoTime;

	private final Map<String, Bucket> buckets;

	public CreationRate(int perMinute, int burst, int maxClients) {
		this(perMinute, burst, maxClients, System::nanoTime);
	}

	CreationRate(int perMinute, int burst, int maxClients, LongSupplier nanoTime) {
		this.burst = burst;
		this.perNano = (double) perMinute / MINUTE;
		this.nanoTime = nanoTime;
		this.buckets = new LinkedHashMap<>(16, 0.75f, true) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
				return size() > maxClients;
			}

		};
	}

	/**
	 * Takes one creation from the client's bucket.
	 * @return {@link Duration#ZERO} when it may create an upload now, else how long until
	 * it may
	 */
	public synchronized Duration take(String client) {
		long now = this.nanoTime.getAsLong();
		Bucket bucket = this.buckets.computeIfAbsent(client, (key) -> new Bucket(this.burst, now));
		double tokens = Math.min(this.burst, bucket.tokens + (now - bucket.at) * this.perNano);
		bucket.at = now;
		if (tokens >= 1) {
			bucket.tokens = tokens - 1;
			return Duration.ZERO;
		}
		bucket.tokens = tokens;
		return Duration.ofNanos((long) Math.ceil((1 - tokens) / this.perNano));
	}

	/** How many clients' buckets are kept. */
	synchronized int clients() {
		return this.buckets.size();
	}

	private static final class Bucket {

		private double tokens;

		private long at;

		Bucket(double tokens, long at) {
			this.tokens = tokens;
			this.at = at;
		}

	}

}
