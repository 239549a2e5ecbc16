@NullMarked
package dev.labkafka.api.video;

import org.jspecify.annotations.NullMarked;
