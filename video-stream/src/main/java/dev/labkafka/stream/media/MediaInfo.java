package dev.labkafka.stream.media;

/**
 * What ffprobe found in a video file: the size of its picture as it is shown (a phone's
 * portrait video, stored landscape with a rotation, is taller than wide here), and its
 * length.
 *
 * @param width pixels
 * @param height pixels
 * @param duration seconds, fractional; 0 when the file does not say
 * @param audio whether it has a sound track
 */
public record MediaInfo(int width, int height, double duration, boolean audio) {
}
