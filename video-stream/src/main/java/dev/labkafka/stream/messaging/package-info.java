/**
 * The Kafka wiring the worker's listeners run in: the topics, the kinds of consumers
 * (transactional for the fan-out, one record at a time for renditions and probes), what
 * happens to a record that fails (retries, retry topics, dead letters and the video
 * marked failed), and when the worker is ready. The listeners check their messages with
 * {@link InvalidVideoMessage}, which this wiring never retries.
 */
@ApplicationModule(allowedDependencies = { "progress", "media" })
@NullMarked
package dev.labkafka.stream.messaging;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.ApplicationModule;
