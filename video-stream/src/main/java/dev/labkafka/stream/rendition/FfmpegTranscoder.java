package dev.labkafka.stream.rendition;

import java.nio.file.Path;

import dev.labkafka.messages.VideoMessage;
import dev.labkafka.stream.StreamSettings;
import dev.labkafka.stream.media.MediaFailure;
import dev.labkafka.stream.media.MediaInfo;
import dev.labkafka.stream.media.MediaStore;
import dev.labkafka.stream.media.MediaTools;
import dev.labkafka.stream.media.WorkFiles;
import dev.labkafka.stream.originals.OriginalReads;
import dev.labkafka.stream.packaging.Packaging;
import dev.labkafka.stream.segment.SegmentJobs;
import dev.labkafka.stream.segment.SharedAudio;
import dev.labkafka.videos.Rendition;
import dev.labkafka.videos.StoredMedia;
import org.jspecify.annotations.Nullable;

/**
 * Real renditions, with {@code video.stream.transcoder=ffmpeg}: each scale is encoded
 * from the original by ffmpeg, that many pixels high, as one fragmented MP4 file (H.264
 * under the scale's cap, keyframes every two seconds, the sound shared by all the
 * renditions: {@link SharedAudio}) that serves both progressive playback, at
 * {@code /v1/videos/{id}/variants/{scale}} (the url recorded in
 * {@code variants.<scale>}), and HLS: its media playlist of byte ranges of that file is
 * stored with it, and the figures a master playlist needs (peak and average bandwidth,
 * codecs, frame rate) are recorded in {@code renditions.<scale>}.
 * <p>
 * Nothing is made bigger than the original: a scale above the original's height is
 * encoded at the original's height, once, by the smallest scale that reaches it; the
 * scales above point to that file ({@code renditions.<scale>.same_as}). A 720p original
 * gets files for 360, 480 and 720, and its 1080 is its 720.
 * <p>
 * A video longer than {@code video.stream.segments.threshold} is not encoded here: its
 * rendition is cut into segments that run as jobs of their own on every consumer of the
 * group ({@link SegmentJobs}), and recorded once they are stitched. Whether it is long is
 * told by ffprobe reading the original's header over HTTP, without a copy of the file.
 * <p>
 * ffmpeg runs for at most {@code video.stream.transcode-timeout}. When it fails, runs out
 * of time, or makes a rendition much shorter than the original says it is (a file damaged
 * or cut short: {@link Packaging}), the rendition fails for good ({@link MediaFailure},
 * not retried) with the tail of ffmpeg's error output, and nothing of it is left: work
 * files are removed whatever happens, and a file is stored only once it is whole.
 */
class FfmpegTranscoder implements Transcoder {

	private final MediaTools tools;

	private final WorkFiles work;

	private final MediaStore store;

	private final StreamSettings settings;

	private final RenditionMetrics metrics;

	private final SharedAudio audio;

	private final Packaging packaging;

	private final SegmentJobs segments;

	private final OriginalReads reads;

	FfmpegTranscoder(MediaTools tools, WorkFiles work, MediaStore store, StreamSettings settings,
			RenditionMetrics metrics, SharedAudio audio, Packaging packaging, SegmentJobs segments,
			OriginalReads reads) {
		this.tools = tools;
		this.work = work;
		this.store = store;
		this.settings = settings;
		this.metrics = metrics;
		this.audio = audio;
		this.packaging = packaging;
		this.segments = segments;
		this.reads = reads;
	}

	@Override
	public @Nullable Variant transcode(VideoMessage rendition) throws InterruptedException {
		if (this.settings.segments().enabled() && this.reads.available()) {
			MediaInfo original = probeOverHttp(rendition.id());
			int height = height(rendition.scale(), original.height());
			int encodedBy = encodedBy(height, original.height());
			if (encodedBy != rendition.scale()) {
				return new Variant(StoredMedia.variantUrl(rendition.url(), encodedBy), Rendition.sameAs(encodedBy));
			}
			if (this.segments.split(rendition, original, height)) {
				return null;
			}
		}
		Path source = this.work.copySource(rendition.id())
			.orElseThrow(() -> new MediaFailure("The original's bytes are not stored"));
		try {
			return transcode(rendition, source);
		}
		catch (MediaFailure ex) {
			throw new MediaFailure(this.work.withoutPaths(ex.getMessage()), ex);
		}
		finally {
			this.work.delete(source);
		}
	}

	/** What the original holds, read by ffprobe over HTTP: its header, not the file. */
	private MediaInfo probeOverHttp(String id) throws InterruptedException {
		try (OriginalReads.Reading reading = this.reads.start(id)) {
			if (!reading.stored()) {
				throw new MediaFailure("The original's bytes are not stored");
			}
			try {
				return this.tools.probe(reading.url());
			}
			catch (MediaFailure ex) {
				throw new MediaFailure(String.valueOf(ex.getMessage()).replace(reading.url(), "the original"), ex);
			}
		}
	}

	private Variant transcode(VideoMessage rendition, Path source) throws InterruptedException {
		Path playlist = null;
		Path media = null;
		Path audio = null;
		try {
			MediaInfo original = this.tools.probe(source);
			int height = height(rendition.scale(), original.height());
			int encodedBy = encodedBy(height, original.height());
			if (encodedBy != rendition.scale()) {
				return new Variant(StoredMedia.variantUrl(rendition.url(), encodedBy), Rendition.sameAs(encodedBy));
			}
			String prefix = rendition.id() + "-" + rendition.scale() + "-";
			audio = this.work.newFile(prefix + "audio-", ".m4a");
			Path sound = this.audio.forRenditions(rendition.id(), source, original, this.settings.transcodeTimeout(),
					audio);
			playlist = this.work.newFile(prefix, ".m3u8");
			media = this.work.newFile(prefix, ".mp4");
			this.tools.encode(source, height, sound, playlist, media, this.settings.transcodeTimeout(),
					(seconds) -> this.metrics.encoded(rendition.scale(), seconds));
			return new Variant(StoredMedia.variantUrl(rendition.url(), rendition.scale()),
					this.packaging.store(rendition.id(), rendition.scale(), playlist, media, original.duration()));
		}
		finally {
			this.work.delete(playlist);
			this.work.delete(media);
			this.work.delete(audio);
		}
	}

	@Override
	public void discard(VideoMessage rendition) {
		this.store.deleteAll(rendition.id());
	}

	/**
	 * The height of the rendition at {@code scale}: the scale, or the original's if
	 * lower.
	 */
	static int height(int scale, int originalHeight) {
		return Math.min(scale, MediaTools.even(originalHeight));
	}

	/** The smallest scale whose rendition has {@code height}: the one that encodes it. */
	static int encodedBy(int height, int originalHeight) {
		return VideoMessage.RENDITION_SCALES.stream()
			.filter((scale) -> height(scale, originalHeight) == height)
			.findFirst()
			.orElseThrow();
	}

}
