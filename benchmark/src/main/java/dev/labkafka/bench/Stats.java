package dev.labkafka.bench;

import java.util.List;

/** Percentiles of small samples. */
final class Stats {

	private Stats() {
	}

	static double percentile(List<Double> values, int percentile) {
		List<Double> sorted = values.stream().sorted().toList();
		int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
		return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
	}

	static double max(List<Double> values) {
		return values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
	}

}
