@NullMarked
package dev.labkafka.kafkahealth;

import org.jspecify.annotations.NullMarked;
