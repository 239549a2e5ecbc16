package dev.labkafka.stream.messaging;

/**
 * A consumer of this worker in the renditions group went through a rebalance: which
 * consumer of the group holds which partition may have changed, in this worker or in
 * another (every member of the group takes part in each rebalance).
 */
public record RenditionsRebalanced() {

}
