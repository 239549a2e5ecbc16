/**
 * Resumable uploads over the tus protocol 1.0.0: the protocol's headers, the uploads'
 * state in MongoDB with their leases, their bytes written into GridFS chunk by chunk, and
 * the sweep of what expired or was abandoned.
 */
@ApplicationModule(allowedDependencies = { "catalog", "upload", "problems" })
@NullMarked
package dev.labkafka.api.tus;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.ApplicationModule;
