/**
 * A video's progress through the pipeline: {@link VideoProgress}, the one way the other
 * modules change the video's document, and tell the API of each change. It uses no other
 * module.
 */
@ApplicationModule(allowedDependencies = {})
@NullMarked
package dev.labkafka.stream.progress;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.ApplicationModule;
