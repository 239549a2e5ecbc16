@NullMarked
package dev.labkafka.kafkaadmin;

import org.jspecify.annotations.NullMarked;
