/**
 * Tracing: the video's id in the trace's baggage of every request and background pass
 * about it, so that every log line (the {@code videoId} of the logging context) and every
 * Kafka message about the video carries it, over to the worker.
 */
@ApplicationModule(allowedDependencies = {})
@NullMarked
package dev.labkafka.api.tracing;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.ApplicationModule;
