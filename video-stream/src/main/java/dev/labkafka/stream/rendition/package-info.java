/**
 * The renditions: each rendition message is made, by the mock transcoder or by ffmpeg,
 * and recorded in the video's {@code variants}, at least once and harmlessly again.
 */
@ApplicationModule(allowedDependencies = { "progress", "media", "messaging", "deletion" })
@NullMarked
package dev.labkafka.stream.rendition;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.ApplicationModule;
