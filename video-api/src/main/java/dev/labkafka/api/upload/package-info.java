/**
 * Uploads: the seed's multipart upload, read as it arrives and streamed into GridFS, what
 * every upload shares with resumable ones (the container format found in the bytes, the
 * file name cleaned, the cap on upload bodies read at once), and their metrics.
 */
@ApplicationModule(allowedDependencies = { "catalog", "problems", "tracing" })
@NullMarked
package dev.labkafka.api.upload;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.ApplicationModule;
