/**
 * The re-drive: videos that are stuck in progress (nothing of them left in Kafka, no
 * progress for a while) are told from those only waiting, by asking Kafka where the
 * worker's consumer groups are, and sent through the pipeline again.
 */
@ApplicationModule(allowedDependencies = { "catalog", "outbox", "tracing" })
@NullMarked
package dev.labkafka.api.redrive;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.ApplicationModule;
