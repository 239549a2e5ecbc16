/**
 * The probe: every upload's size and length, as ffprobe finds them, and its poster frame,
 * whatever the transcoder; an original that is not media fails its video.
 */
@ApplicationModule(allowedDependencies = { "progress", "media", "messaging", "deletion" })
@NullMarked
package dev.labkafka.stream.probe;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.ApplicationModule;
