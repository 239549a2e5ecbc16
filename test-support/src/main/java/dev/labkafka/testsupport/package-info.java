@NullMarked
package dev.labkafka.testsupport;

import org.jspecify.annotations.NullMarked;
