/**
 * What bounds the creation of resumable uploads: each client's creation rate.
 */
@NullMarked
package dev.labkafka.api.tus.limits;

import org.jspecify.annotations.NullMarked;
