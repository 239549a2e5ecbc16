/**
 * The renditions: each rendition message is made, by the mock transcoder or by ffmpeg,
 * and recorded in the video's {@code variants}, at least once and harmlessly again; a
 * long video's renditions in segments (the segment module), each segment a message here.
 */
@ApplicationModule(
		allowedDependencies = { "progress", "media", "messaging", "deletion", "packaging", "segment", "originals" })
@NullMarked
package dev.labkafka.stream.rendition;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.ApplicationModule;
