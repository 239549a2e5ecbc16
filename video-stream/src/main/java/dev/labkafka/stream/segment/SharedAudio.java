package dev.labkafka.stream.segment;

import java.nio.file.Path;
import java.time.Duration;

import dev.labkafka.stream.media.MediaFailure;
import dev.labkafka.stream.media.MediaInfo;
import dev.labkafka.stream.media.MediaStore;
import dev.labkafka.stream.media.MediaTools;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * The sound of a video's renditions, made once for all of them: each rendition copies it
 * ({@code -c:a copy}), so every rendition has the same sound, bit for bit, and a player
 * switching between them hears no seam.
 * <p>
 * For whole renditions, sound that is AAC-LC in at most two channels already (what phones
 * record) is copied from the original as it is: it is encoded zero times here. Any other
 * sound is encoded as AAC-LC stereo at 128 kbit/s by the first rendition job to need it,
 * which claims the work ({@link WorkClaims#sound}) and stores the result in the
 * renditions bucket beside the renditions; the other jobs wait for it, and copy it. A job
 * whose holder is gone takes the claim over; none waits longer than its own time limit.
 * <p>
 * For a video cut into segments the sound is a job of its own, which stores it in the
 * same place (copied out of the original when it is AAC-LC, else encoded), for the
 * stitches to mux in.
 */
@Component
public class SharedAudio {

	/** How often a waiting job looks whether the sound is there. */
	private static final Duration POLL = Duration.ofMillis(200);

	/** How often the holder of a claim says it is still at work. */
	private static final Duration REFRESH = WorkClaims.STALE.dividedBy(6);

	private final MediaTools tools;

	private final MediaStore store;

	private final WorkClaims claims;

	SharedAudio(MediaTools tools, MediaStore store, WorkClaims claims) {
		this.tools = tools;
		this.store = store;
		this.claims = claims;
	}

	/**
	 * The file whose first sound track a whole rendition copies: the original itself, or
	 * a work file that the caller removes.
	 * @param original what ffprobe found in {@code source}
	 * @return null when the original has no sound
	 * @throws MediaFailure when the sound cannot be made, or was not made in time
	 */
	public @Nullable Path forRenditions(String videoId, Path source, MediaInfo original, Duration timeout, Path m4a)
			throws InterruptedException {
		if (!original.audio()) {
			return null;
		}
		if (original.audioCopyable()) {
			return source;
		}
		obtain(videoId, source.toString(), false, timeout, m4a);
		return m4a;
	}

	/**
	 * Makes the shared sound of a video cut into segments into {@code m4a} and stores it,
	 * unless it is stored already (then it is copied into {@code m4a}).
	 * @param input where ffmpeg reads the original
	 * @param copy whether the original's sound is copied as it is (it is AAC-LC)
	 */
	void store(String videoId, String input, boolean copy, Duration timeout, Path m4a) throws InterruptedException {
		obtain(videoId, input, copy, timeout, m4a);
	}

	private void obtain(String videoId, String input, boolean copy, Duration timeout, Path m4a)
			throws InterruptedException {
		String claim = WorkClaims.sound(videoId);
		String owner = WorkClaims.newOwner();
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			if (this.store.copyAudio(videoId, m4a)) {
				return;
			}
			if (this.claims.claim(claim, owner)) {
				try {
					// Stored between the look and the claim?
					if (!this.store.copyAudio(videoId, m4a)) {
						encode(claim, owner, videoId, input, copy, m4a, timeout);
					}
					return;
				}
				finally {
					this.claims.release(claim, owner);
				}
			}
			if (System.nanoTime() > deadline) {
				throw new MediaFailure("The sound of the video was not made within " + timeout
						+ ": another rendition job holds the work");
			}
			Thread.sleep(POLL.toMillis());
		}
	}

	private void encode(String claim, String owner, String videoId, String input, boolean copy, Path m4a,
			Duration timeout) throws InterruptedException {
		long[] refreshed = { System.nanoTime() };
		this.tools.encodeAudio(input, copy, m4a, timeout, (seconds) -> {
			if (System.nanoTime() - refreshed[0] > REFRESH.toNanos()) {
				this.claims.refresh(claim, owner);
				refreshed[0] = System.nanoTime();
			}
		});
		this.store.storeAudio(videoId, m4a);
	}

}
