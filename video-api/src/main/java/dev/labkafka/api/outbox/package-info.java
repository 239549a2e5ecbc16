/**
 * The outbox: the {@code scale = 0} announcements of stored videos, kept in their
 * documents until Kafka has them, sent at once and relayed later when Kafka was away.
 */
@NullMarked
package dev.labkafka.api.outbox;

import org.jspecify.annotations.NullMarked;
