/**
 * The worker's media: the system's programs, ffmpeg and ffprobe, run under control (what
 * the worker probes, thumbnails and encodes with when they are installed); the scratch
 * files they read and write; the originals' bytes and what the worker stores beside them
 * in GridFS. It uses no other module.
 */
@ApplicationModule(allowedDependencies = {})
@NullMarked
package dev.labkafka.stream.media;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.ApplicationModule;
