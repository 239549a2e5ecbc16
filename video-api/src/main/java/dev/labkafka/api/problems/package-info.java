/**
 * Problems: every RFC 9457 problem the API answers with, written once
 * ({@link dev.labkafka.api.problems.ApiProblem}), how they are thrown, rendered, typed
 * and documented in the OpenAPI description.
 */
@ApplicationModule(allowedDependencies = {})
@NullMarked
package dev.labkafka.api.problems;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.ApplicationModule;
