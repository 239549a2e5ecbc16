/**
 * A video's progress through the pipeline: {@link VideoProgress}, the one way the other
 * modules change the video's document, and tell the API of each change. It uses the media
 * module only to know whether videos are probed here (a video probed is done only once
 * its probe is).
 */
@ApplicationModule(allowedDependencies = { "media" })
@NullMarked
package dev.labkafka.stream.progress;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.ApplicationModule;
