/**
 * Long videos in segments: the rendition jobs of a video longer than
 * {@code video.stream.segments.threshold} are cut into segments on one grid for every
 * rendition ({@link dev.labkafka.stream.segment.SegmentPlan}), each one a message and a
 * job of its own on any consumer of any worker, encoded with exact seeking
 * ({@link dev.labkafka.stream.segment.SegmentEncoder}) from the byte ranges of the
 * original it needs, and stitched without encoding again once the last of them and the
 * shared sound are stored ({@link dev.labkafka.stream.segment.SegmentJobs}). Work that
 * several jobs may find to do at once is claimed
 * ({@link dev.labkafka.stream.segment.WorkClaims}). It uses the media module (programs,
 * store), the originals (read over HTTP), packaging (the stitched rendition is stored as
 * a whole one is), progress (the video's document) and the fan-out (the segments'
 * messages).
 */
@ApplicationModule(allowedDependencies = { "media", "originals", "packaging", "progress", "fanout" })
@NullMarked
package dev.labkafka.stream.segment;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.ApplicationModule;
