/**
 * Who may reach a resumable upload: its address, which holds a secret of its own.
 */
@NullMarked
package dev.labkafka.api.tus.access;

import org.jspecify.annotations.NullMarked;
