@NullMarked
package dev.labkafka.messages;

import org.jspecify.annotations.NullMarked;
