/**
 * The whole pipeline as separate processes, for the tools that measure or attack it from
 * outside.
 */
@NullMarked
package dev.labkafka.processes;

import org.jspecify.annotations.NullMarked;
