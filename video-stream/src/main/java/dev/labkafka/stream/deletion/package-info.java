/**
 * Deleting a video stops the work on it: which video each worker thread works on now
 * ({@link dev.labkafka.stream.deletion.VideoJobs}, opened by the probe and the rendition
 * consumers around each job), and a watch that looks whether those videos still exist and
 * kills the programs of one that was deleted. It uses the progress module (which videos
 * exist) and the media module (the programs).
 */
@ApplicationModule(allowedDependencies = { "progress", "media" })
@NullMarked
package dev.labkafka.stream.deletion;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.ApplicationModule;
