package dev.labkafka.stream.originals;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.atomic.LongAdder;

import dev.labkafka.stream.media.SourceVideos;
import jakarta.servlet.http.HttpServletRequest;
import org.bson.types.ObjectId;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.AbstractResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /internal/originals/{id}?job=...}: the original's bytes, whole or in byte
 * ranges (Spring MVC answers {@code Range} requests for a resource body), for an open
 * {@link OriginalReads reading}, over a connection to the loopback (the address the
 * connection came in on, which no {@code X-Forwarded-For} changes). Anything else is a
 * 404, as if there were nothing here: the worker's port is reachable by probes from
 * outside, and the originals are not theirs to read.
 */
@RestController
class OriginalEndpoint {

	/** Where originals are served, before the video's id. */
	static final String PATH = "/internal/originals/";

	private final SourceVideos sources;

	private final OriginalReads reads;

	OriginalEndpoint(SourceVideos sources, OriginalReads reads) {
		this.sources = sources;
		this.reads = reads;
	}

	@GetMapping(PATH + "{id}")
	ResponseEntity<Resource> original(@PathVariable String id, @RequestParam(required = false) @Nullable String job,
			HttpServletRequest request) {
		LongAdder counter = this.reads.counter(job);
		// The address the connection came in on, which no forwarded header changes.
		if (counter == null || !loopback(request.getLocalAddr()) || !ObjectId.isValid(id)) {
			return ResponseEntity.notFound().build();
		}
		return this.sources.length(id)
			.<ResponseEntity<Resource>>map((length) -> ResponseEntity.ok()
				.contentType(MediaType.APPLICATION_OCTET_STREAM)
				.body(new StoredOriginal(id, length, counter)))
			.orElseGet(() -> ResponseEntity.notFound().build());
	}

	private static boolean loopback(String address) {
		try {
			return InetAddress.getByName(address).isLoopbackAddress();
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

	/**
	 * An original in GridFS as a resource that can be read more than once, each read
	 * counted: what Spring MVC needs to answer byte ranges.
	 */
	private final class StoredOriginal extends AbstractResource {

		private final String id;

		private final long length;

		private final LongAdder counter;

		StoredOriginal(String id, long length, LongAdder counter) {
			this.id = id;
			this.length = length;
			this.counter = counter;
		}

		@Override
		public String getDescription() {
			return "the original of video " + this.id;
		}

		@Override
		public long contentLength() {
			return this.length;
		}

		@Override
		public InputStream getInputStream() throws IOException {
			InputStream in = OriginalEndpoint.this.sources.open(this.id)
				.orElseThrow(() -> new IOException("Video " + this.id + " has no stored bytes any more"));
			return new FilterInputStream(in) {

				@Override
				public int read() throws IOException {
					int b = super.read();
					if (b >= 0) {
						StoredOriginal.this.counter.increment();
					}
					return b;
				}

				@Override
				public int read(byte[] buffer, int offset, int count) throws IOException {
					int n = super.read(buffer, offset, count);
					if (n > 0) {
						StoredOriginal.this.counter.add(n);
					}
					return n;
				}

			};
		}

	}

}
