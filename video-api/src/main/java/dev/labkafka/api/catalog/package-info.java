/**
 * The catalog: the videos the API keeps (their documents and their stored files), the
 * REST endpoints that find, list, serve, retry and delete them, and the application
 * events that tell of each change.
 */
@ApplicationModule(allowedDependencies = { "outbox", "problems" })
@NullMarked
package dev.labkafka.api.catalog;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.ApplicationModule;
