/**
 * The system's media programs, ffmpeg and ffprobe, run under control: what the worker
 * probes, thumbnails and encodes with when they are installed.
 */
@NullMarked
package dev.labkafka.stream.media;

import org.jspecify.annotations.NullMarked;
