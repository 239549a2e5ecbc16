@NullMarked
package dev.labkafka.bench;

import org.jspecify.annotations.NullMarked;
