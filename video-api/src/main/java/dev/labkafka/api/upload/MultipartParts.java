package dev.labkafka.api.upload;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.util.Arrays;

import org.apache.commons.fileupload2.core.FileUploadException;
import org.apache.commons.fileupload2.core.FileUploadSizeException;
import org.jspecify.annotations.Nullable;

/**
 * The parts of a {@code multipart/form-data} body (RFC 7578), read as they arrive: each
 * part's header block, then its content up to the next delimiter.
 * <p>
 * The delimiter ({@code CRLF--boundary}) is found with a skip-ahead search
 * (Boyer-Moore-Horspool): where the bytes under its last position cannot end it, the
 * search moves on by up to its whole length at once, so a 512 MB file part costs a few
 * comparisons per delimiter length, not one or more per byte. It replaces Commons
 * FileUpload's byte-at-a-time scan, which took four fifths of the API's Java samples in
 * an upload (measured with Java Flight Recorder; docs/benchmarks.md). The content is
 * copied once, from this reader's buffer into the caller's.
 * <p>
 * Failures are Commons FileUpload's exceptions, whose meaning the header parsing shares:
 * {@link FileUploadSizeException} over a limit, {@link FileUploadException} for a body
 * that is not well formed, {@link EOFException} for one that ended early.
 */
final class MultipartParts {

	private static final byte CR = '\r';

	private static final byte LF = '\n';

	private static final byte DASH = '-';

	private static final byte[] HEADERS_END = { CR, LF, CR, LF };

	private static final int BUFFER_SIZE = 64 * 1024;

	/**
	 * After how many bytes past the close delimiter the epilogue is no longer read (and
	 * its connection is closed after the answer).
	 */
	private static final int MAX_EPILOGUE = 1024;

	private final InputStream in;

	private final byte[] delimiter;

	/** How far the search moves on, by the byte under the delimiter's last position. */
	private final int[] shift = new int[256];

	private final byte[] buffer = new byte[BUFFER_SIZE];

	private final long maxSize;

	private final long maxPartSize;

	private final int maxHeaderSize;

	private final Charset headerCharset;

	/** The bytes not yet taken are {@code buffer[head, tail)}. */
	private int head;

	private int tail;

	/** No delimiter starts before this index of the buffer (from {@code head} on). */
	private int searched;

	/** Where the delimiter that ends the current content starts, or -1 if not found. */
	private int found = -1;

	private boolean ended;

	private boolean closed;

	/** Whether no delimiter has been found yet: what is read is the preamble. */
	private boolean inPreamble = true;

	private long read;

	private long partSize;

	/**
	 * @param boundary the body's boundary, from its content type
	 * @param maxSize the most bytes the whole body may have
	 * @param maxPartSize the most bytes one part's content may have
	 * @param maxHeaderSize the most bytes one part's header block may have
	 */
	MultipartParts(InputStream in, byte[] boundary, long maxSize, long maxPartSize, int maxHeaderSize,
			Charset headerCharset) throws FileUploadException {
		this.delimiter = new byte[boundary.length + 4];
		if (boundary.length == 0 || this.delimiter.length * 2 > BUFFER_SIZE) {
			throw new FileUploadException("the boundary is " + boundary.length + " bytes long");
		}
		this.in = in;
		this.maxSize = maxSize;
		this.maxPartSize = maxPartSize;
		this.maxHeaderSize = maxHeaderSize;
		this.headerCharset = headerCharset;
		this.delimiter[0] = CR;
		this.delimiter[1] = LF;
		this.delimiter[2] = DASH;
		this.delimiter[3] = DASH;
		System.arraycopy(boundary, 0, this.delimiter, 4, boundary.length);
		int last = this.delimiter.length - 1;
		Arrays.fill(this.shift, this.delimiter.length);
		for (int i = 0; i < last; i++) {
			this.shift[this.delimiter[i] & 0xff] = last - i;
		}
		// The first delimiter may open the body, with no line break before it: read as
		// if there were one, so that one search finds it either way.
		this.buffer[0] = CR;
		this.buffer[1] = LF;
		this.tail = 2;
	}

	/**
	 * Moves on to the next part, past what is left of the current one's content (or of
	 * the preamble).
	 * @return its header block, or null when the body's close delimiter came
	 */
	@Nullable String nextHeaders() throws IOException {
		if (this.closed) {
			return null;
		}
		try {
			while (take(null, 0, Integer.MAX_VALUE) > 0) {
				// Skipping what is left.
			}
		}
		catch (EOFException ex) {
			if (this.inPreamble) {
				// No delimiter in the whole body: it has no parts.
				this.closed = true;
				return null;
			}
			throw ex;
		}
		this.inPreamble = false;
		this.head = this.found + this.delimiter.length;
		this.found = -1;
		require(2);
		byte first = this.buffer[this.head];
		byte second = this.buffer[this.head + 1];
		this.head += 2;
		if (first == DASH && second == DASH) {
			this.closed = true;
			readEpilogue();
			return null;
		}
		if (first != CR || second != LF) {
			throw new FileUploadException("unexpected bytes after a boundary");
		}
		return readHeaders();
	}

	/**
	 * Reads what follows the close delimiter (its line break, or an epilogue, which is
	 * ignored) to the body's end, as long as no more than {@link #MAX_EPILOGUE} bytes
	 * have been read after it (so at most one buffer more): a body read to its end keeps
	 * its connection for the client's next request, where one left unread has it closed
	 * after the answer (see {@code UnreadBodies}), which a client that sent its next
	 * request meanwhile met as a connection closed without an answer. A read that fails
	 * here (a body shorter than declared) fails the upload, as Tomcat answers it with an
	 * error then, so that nothing is kept of an upload that was not answered 201.
	 */
	private void readEpilogue() throws IOException {
		long most = this.read + MAX_EPILOGUE;
		this.head = this.tail;
		while (this.read <= most && fill()) {
			this.head = this.tail;
		}
	}

	/** The current part's content, which ends at the next delimiter. */
	InputStream content() {
		return new Content();
	}

	private String readHeaders() throws IOException {
		int from = this.head;
		int end;
		while ((end = indexOf(HEADERS_END, from)) == -1) {
			// A full buffer is the most a header block can be, whatever the limit.
			if (this.tail - this.head > this.maxHeaderSize || this.tail - this.head == this.buffer.length) {
				throw tooLongHeaders();
			}
			from = Math.max(this.head, this.tail - HEADERS_END.length + 1);
			int before = this.head;
			if (!fill()) {
				throw new EOFException("the body ended in a part's headers");
			}
			from -= before - this.head;
		}
		int length = end + HEADERS_END.length - this.head;
		if (length > this.maxHeaderSize) {
			throw tooLongHeaders();
		}
		String headers = new String(this.buffer, this.head, length, this.headerCharset);
		this.head += length;
		this.searched = this.head;
		this.partSize = 0;
		return headers;
	}

	private FileUploadException tooLongHeaders() {
		return new FileUploadException(
				"a part's headers are over " + Math.min(this.maxHeaderSize, this.buffer.length) + " bytes");
	}

	private int indexOf(byte[] what, int from) {
		for (int i = from; i <= this.tail - what.length; i++) {
			if (Arrays.equals(this.buffer, i, i + what.length, what, 0, what.length)) {
				return i;
			}
		}
		return -1;
	}

	/**
	 * How many of the bytes from {@code head} on are the current content's for certain:
	 * up to the delimiter when it is in the buffer, else up to where it could begin.
	 */
	private int contentAvailable() {
		if (this.found != -1) {
			return this.found - this.head;
		}
		int length = this.delimiter.length;
		int last = length - 1;
		int i = Math.max(this.head, this.searched);
		while (i + length <= this.tail) {
			int j = last;
			while (j >= 0 && this.buffer[i + j] == this.delimiter[j]) {
				j--;
			}
			if (j < 0) {
				this.found = i;
				return i - this.head;
			}
			i += this.shift[this.buffer[i + last] & 0xff];
		}
		this.searched = i;
		return i - this.head;
	}

	/**
	 * Takes up to {@code length} bytes of the current content into {@code into} (or skips
	 * them when it is null).
	 * @return how many, or -1 at its end
	 */
	private int take(byte @Nullable [] into, int offset, int length) throws IOException {
		while (true) {
			int available = contentAvailable();
			if (available > 0) {
				int taken = Math.min(length, available);
				if (into != null) {
					System.arraycopy(this.buffer, this.head, into, offset, taken);
				}
				this.head += taken;
				this.partSize += taken;
				if (this.partSize > this.maxPartSize) {
					throw new FileUploadSizeException("a part is over " + this.maxPartSize + " bytes", this.maxPartSize,
							this.partSize);
				}
				return taken;
			}
			if (this.found != -1) {
				return -1;
			}
			if (!fill()) {
				throw new EOFException("the body ended before its close delimiter");
			}
		}
	}

	/** Makes sure {@code count} bytes are there from {@code head} on. */
	private void require(int count) throws IOException {
		while (this.tail - this.head < count) {
			if (!fill()) {
				throw new EOFException("the body ended after a boundary");
			}
		}
	}

	/**
	 * Reads more of the body into the buffer, first moving what is left to its start.
	 * @return false at the body's end
	 */
	private boolean fill() throws IOException {
		if (this.ended) {
			return false;
		}
		if (this.head > 0) {
			int left = this.tail - this.head;
			System.arraycopy(this.buffer, this.head, this.buffer, 0, left);
			this.searched = Math.max(0, this.searched - this.head);
			if (this.found != -1) {
				this.found -= this.head;
			}
			this.tail = left;
			this.head = 0;
		}
		int count = this.in.read(this.buffer, this.tail, this.buffer.length - this.tail);
		if (count == -1) {
			this.ended = true;
			return false;
		}
		this.tail += count;
		this.read += count;
		if (this.read > this.maxSize) {
			throw new FileUploadSizeException("the body is over " + this.maxSize + " bytes", this.maxSize, this.read);
		}
		return true;
	}

	/** The current part's bytes. */
	private final class Content extends InputStream {

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			return (read(one, 0, 1) == -1) ? -1 : (one[0] & 0xff);
		}

		@Override
		public int read(byte[] into, int offset, int length) throws IOException {
			if (length == 0) {
				return 0;
			}
			return take(into, offset, length);
		}

	}

}
