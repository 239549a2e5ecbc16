/**
 * The video document's vocabulary, shared by the API and the worker: one definition of
 * its collection, field names and status words.
 */
@NullMarked
package dev.labkafka.videos;

import org.jspecify.annotations.NullMarked;
