@NullMarked
package dev.labkafka.stream;

import org.jspecify.annotations.NullMarked;
