/**
 * The fan-out: each upload becomes one rendition message per missing scale, in one Kafka
 * transaction with its consumer offset, on partitions of distinct consumers of the
 * renditions group, in turns every worker shares; and a long rendition becomes one
 * message per segment, spread the same way
 * ({@link dev.labkafka.stream.fanout.SegmentFanOut}).
 */
@ApplicationModule(allowedDependencies = { "progress", "messaging" })
@NullMarked
package dev.labkafka.stream.fanout;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.ApplicationModule;
