/**
 * The stream worker. The application and its settings ({@link StreamSettings}) are here,
 * in no module; every direct sub-package is an application module (Spring Modulith,
 * checked by {@code ModularityTests}) that other modules may use only through the public
 * types of its package:
 * <ul>
 * <li>{@code fanout}: an upload becomes one rendition message per missing scale, on
 * partitions of distinct consumers;</li>
 * <li>{@code rendition}: a rendition message becomes a rendition, mocked or encoded;</li>
 * <li>{@code probe}: every upload's size, length and poster frame;</li>
 * <li>{@code media}: ffmpeg and ffprobe, the scratch files and the media kept in
 * GridFS;</li>
 * <li>{@code progress}: the video's progress in its document, told to the API;</li>
 * <li>{@code messaging}: the Kafka wiring the listeners run in: topics, consumers, error
 * handling, dead letters and readiness.</li>
 * </ul>
 * The listener modules use {@code progress}, {@code messaging} and (but the fan-out)
 * {@code media}; {@code messaging} uses {@code progress} and {@code media}; those two use
 * no other module.
 */
@NullMarked
package dev.labkafka.stream;

import org.jspecify.annotations.NullMarked;
