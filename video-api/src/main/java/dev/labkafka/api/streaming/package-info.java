/**
 * Adaptive streaming: each video's HLS master playlist, made from the renditions the
 * worker recorded as streamed and done, and their media playlists, which the worker
 * stored with each rendition's file. The segments they name are byte ranges of those
 * files, which the catalog serves.
 */
@ApplicationModule(allowedDependencies = { "catalog", "problems" })
@NullMarked
package dev.labkafka.api.streaming;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.ApplicationModule;
