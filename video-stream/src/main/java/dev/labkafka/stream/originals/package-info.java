/**
 * The originals, served over HTTP to this worker's own media programs: ffmpeg and ffprobe
 * read a long video's original through {@code /internal/originals/{id}}, seeking with
 * byte ranges, so that a job that encodes one segment reads the bytes of that segment and
 * not a copy of the whole file. Only callers on this machine's loopback are answered;
 * what each job read is counted. It uses the media module (the originals' bytes).
 */
@ApplicationModule(allowedDependencies = { "media" })
@NullMarked
package dev.labkafka.stream.originals;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.ApplicationModule;
