package dev.labkafka.api.upload;

import java.io.IOException;
import java.io.InputStream;
import java.security.Principal;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.labkafka.api.VideoApiSettings;
import dev.labkafka.api.problems.ApiProblem;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Component;

/**
 * The most upload bodies this instance reads at once
 * ({@code video.api.upload.max-concurrent}), multipart and resumable together, and the
 * most of them one client may send ({@code video.api.upload.client-share}). A request
 * past either is refused at once, so that slow uploads cannot hold every server thread
 * while reads and health checks wait, and one client cannot hold every slot. While it
 * holds its slot, an upload's body must keep {@code video.api.upload.min-rate}, so that
 * trickling clients give their slots back.
 */
@Component
public class UploadSlots {

	private final int max;

	private final int perClient;

	private final long minRate;

	private final Duration minRateWindow;

	private final Map<String, Integer> byClient = new HashMap<>();

	private int inUse;

	UploadSlots(VideoApiSettings settings) {
		VideoApiSettings.Upload upload = settings.upload();
		this.max = upload.maxConcurrent();
		this.perClient = upload.maxPerClient();
		this.minRate = upload.minRate().toBytes();
		this.minRateWindow = upload.minRateWindow();
	}

	/**
	 * A slot for the upload of this request, given back when closed.
	 * @throws dev.labkafka.api.problems.ProblemException
	 * {@link ApiProblem#TOO_MANY_UPLOADS} if every slot is taken,
	 * {@link ApiProblem#TOO_MANY_UPLOADS_FROM_CLIENT} if its client holds its share
	 */
	public Slot take(HttpServletRequest request) {
		String client = clientOf(request);
		synchronized (this) {
			if (this.inUse >= this.max) {
				throw ApiProblem.TOO_MANY_UPLOADS.exception(this.max);
			}
			int held = this.byClient.getOrDefault(client, 0);
			if (held >= this.perClient) {
				throw ApiProblem.TOO_MANY_UPLOADS_FROM_CLIENT.exception(this.perClient);
			}
			this.byClient.put(client, held + 1);
			this.inUse++;
		}
		return new Slot(client);
	}

	/**
	 * Who sends the request: its token's subject when it carries one (writes need a
	 * token), else its address. What the per-client bounds of uploads count by, the
	 * slots' share here and the open resumable uploads.
	 */
	public static String clientOf(HttpServletRequest request) {
		Principal user = request.getUserPrincipal();
		return (user != null) ? "subject " + user.getName() : "address " + request.getRemoteAddr();
	}

	/** Slots in use, for the metrics. */
	synchronized int inUse() {
		return this.inUse;
	}

	private synchronized void release(String client) {
		this.inUse--;
		this.byClient.computeIfPresent(client, (key, held) -> (held > 1) ? held - 1 : null);
	}

	/** One upload's slot. */
	public final class Slot implements AutoCloseable {

		private final String client;

		private boolean released;

		private Slot(String client) {
			this.client = client;
		}

		/**
		 * The request's body, which fails with {@link UploadTooSlow} once it comes under
		 * the minimum rate.
		 */
		public InputStream body(HttpServletRequest request) throws IOException {
			return new MinimumRateInputStream(request.getInputStream(), UploadSlots.this.minRate,
					UploadSlots.this.minRateWindow);
		}

		@Override
		public void close() {
			if (!this.released) {
				this.released = true;
				release(this.client);
			}
		}

	}

}
