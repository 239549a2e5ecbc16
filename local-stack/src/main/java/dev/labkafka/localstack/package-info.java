@NullMarked
package dev.labkafka.localstack;

import org.jspecify.annotations.NullMarked;
