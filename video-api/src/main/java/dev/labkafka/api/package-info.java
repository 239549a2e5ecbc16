@NullMarked
package dev.labkafka.api;

import org.jspecify.annotations.NullMarked;
