/**
 * The outbox: the {@code scale = 0} announcements of stored videos, kept in their
 * documents until Kafka has them, sent at once and relayed later when Kafka was away.
 */
@ApplicationModule(allowedDependencies = { "tracing" })
@NullMarked
package dev.labkafka.api.outbox;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.ApplicationModule;
