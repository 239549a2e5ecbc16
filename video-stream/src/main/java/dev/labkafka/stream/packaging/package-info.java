/**
 * How an encoded rendition is packaged for playback: one fragmented MP4 file with its HLS
 * media playlist of byte ranges ({@link dev.labkafka.stream.packaging.MediaPlaylist}),
 * its header saying its real length
 * ({@link dev.labkafka.stream.packaging.FragmentedMp4Duration}), checked and stored with
 * the figures a master playlist needs ({@link dev.labkafka.stream.packaging.Packaging}),
 * whether ffmpeg encoded it whole or it was stitched from segments. It uses the media
 * module (ffprobe, the store).
 */
@ApplicationModule(allowedDependencies = { "media" })
@NullMarked
package dev.labkafka.stream.packaging;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.ApplicationModule;
