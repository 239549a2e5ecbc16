/**
 * Live events: every change to a video, told through Kafka to every API instance, pushed
 * to the clients that follow it as server-sent events, each client's stream on a bounded
 * buffer and a writer of its own.
 */
@ApplicationModule(allowedDependencies = { "catalog", "problems" })
@NullMarked
package dev.labkafka.api.events;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.ApplicationModule;
