@NullMarked
package dev.labkafka.stream.rendition;

import org.jspecify.annotations.NullMarked;
