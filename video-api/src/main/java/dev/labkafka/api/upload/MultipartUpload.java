package dev.labkafka.api.upload;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import dev.labkafka.api.VideoApiSettings;
import dev.labkafka.api.problems.ApiProblem;
import dev.labkafka.api.problems.ProblemException;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.fileupload2.core.FileItemHeaders;
import org.apache.commons.fileupload2.core.FileUploadException;
import org.apache.commons.fileupload2.core.FileUploadSizeException;
import org.apache.commons.fileupload2.jakarta.servlet6.JakartaServletFileUpload;
import org.jspecify.annotations.Nullable;

/**
 * A {@code multipart/form-data} upload read as it arrives, so that the bytes of its
 * {@code file} part go from the client's connection straight to GridFS: nothing is
 * spooled to a temporary file or held in memory.
 * <p>
 * Spring's own multipart support is off ({@code spring.servlet.multipart.enabled: false})
 * because with it the servlet container reads the whole body to disk before the
 * controller runs, and the API then writes every byte a second time. The body's parts are
 * found with {@link MultipartParts} (a skip-ahead search for the boundary), and each
 * part's headers are read with Apache Commons FileUpload's parser (its field name and
 * file name, quoted or encoded as clients send them). Every way the body can be wrong
 * becomes a problem: malformed, over the limit, or cut short.
 */
final class MultipartUpload implements IncomingUpload {

	/** The name of the part that carries the video. */
	static final String FILE_PART = "file";

	/** Room for the multipart framing and small form fields around the file. */
	private static final long FRAMING = 1024 * 1024;

	/** The most parts an upload may have: the file and a few form fields. */
	static final int MAX_PARTS = 16;

	private final MultipartParts parts;

	private final JakartaServletFileUpload<?, ?> headers;

	private final long maxFileSize;

	private final @Nullable String filename;

	private final InputStream content;

	private int partsRead;

	private MultipartUpload(MultipartParts parts, JakartaServletFileUpload<?, ?> headers, long maxFileSize,
			@Nullable String filename, int partsRead) {
		this.parts = parts;
		this.headers = headers;
		this.maxFileSize = maxFileSize;
		this.partsRead = partsRead;
		this.filename = filename;
		this.content = new RefusingStream(parts.content());
	}

	/**
	 * Starts reading the request's body, up to its {@code file} part; nothing of the file
	 * has been read yet.
	 * @param body the request's body
	 * @throws ProblemException {@link ApiProblem#MISSING_FILE_PART} if there is none
	 */
	static MultipartUpload of(HttpServletRequest request, InputStream body, VideoApiSettings.Upload limits) {
		long maxFileSize = limits.maxFileSize().toBytes();
		long maxSize = maxFileSize + FRAMING;
		JakartaServletFileUpload<?, ?> headers = new JakartaServletFileUpload<>();
		try {
			if (request.getContentLengthLong() > maxSize) {
				throw new FileUploadSizeException("the body is over " + maxSize + " bytes", maxSize,
						request.getContentLengthLong());
			}
			byte[] boundary = headers.getBoundary(request.getContentType());
			if (boundary == null) {
				throw new FileUploadException("the content type names no boundary");
			}
			Charset charset = (request.getCharacterEncoding() != null) ? Charset.forName(request.getCharacterEncoding())
					: StandardCharsets.UTF_8;
			MultipartParts parts = new MultipartParts(body, boundary, maxSize, maxFileSize,
					Math.toIntExact(limits.maxPartHeaderSize().toBytes()), charset);
			int partsRead = 0;
			String block;
			while ((block = parts.nextHeaders()) != null) {
				checkPartCount(++partsRead);
				FileItemHeaders part = headers.getParsedHeaders(block);
				if (FILE_PART.equals(headers.getFieldName(part))) {
					return new MultipartUpload(parts, headers, maxFileSize, headers.getFileName(part), partsRead);
				}
			}
		}
		catch (IOException | IllegalArgumentException ex) {
			throw refusal(ex, maxFileSize);
		}
		throw ApiProblem.MISSING_FILE_PART.exception();
	}

	@Override
	public @Nullable String filename() {
		return this.filename;
	}

	@Override
	public InputStream content() {
		return this.content;
	}

	/**
	 * Reads the rest of the body once the file has been read, to know that it is well
	 * formed and holds no second file. Other parts are skipped.
	 * @throws ProblemException {@link ApiProblem#ONE_FILE_ONLY} if there is another
	 * {@code file} part
	 */
	@Override
	public void finish() {
		int files = 1;
		try {
			String block;
			while ((block = this.parts.nextHeaders()) != null) {
				checkPartCount(++this.partsRead);
				if (FILE_PART.equals(this.headers.getFieldName(this.headers.getParsedHeaders(block)))) {
					files++;
				}
			}
		}
		catch (IOException ex) {
			throw refusal(ex, this.maxFileSize);
		}
		if (files > 1) {
			throw ApiProblem.ONE_FILE_ONLY.exception(files);
		}
	}

	private static void checkPartCount(int parts) {
		if (parts > MAX_PARTS) {
			throw ApiProblem.MALFORMED_UPLOAD.exception("more than " + MAX_PARTS + " parts");
		}
	}

	/**
	 * Why reading the body failed: over the limit (the file, or the request around it), a
	 * body that does not match its boundary, one that came too slowly, or one that ended
	 * early (the client went away).
	 */
	private static ProblemException refusal(Exception ex, long maxFileSize) {
		if (ex instanceof UploadTooSlow slow) {
			return slow.problem();
		}
		if (ex instanceof FileUploadSizeException tooLarge && tooLarge.getPermitted() >= maxFileSize) {
			// A part's headers have a far lower limit: that is a malformed body.
			return Uploads.tooLarge(maxFileSize);
		}
		if (ex instanceof FileUploadException || ex instanceof IllegalArgumentException) {
			return ApiProblem.MALFORMED_UPLOAD.exception(ApiProblem.abbreviate(String.valueOf(ex.getMessage())));
		}
		return ApiProblem.MALFORMED_UPLOAD
			.exception("the body ended before it was complete (" + ex.getClass().getSimpleName() + ")");
	}

	/** The file's bytes, where a failure to read them is the upload's refusal. */
	private final class RefusingStream extends FilterInputStream {

		RefusingStream(InputStream in) {
			super(in);
		}

		@Override
		public int read() {
			try {
				return super.read();
			}
			catch (IOException ex) {
				throw refusal(ex, MultipartUpload.this.maxFileSize);
			}
		}

		@Override
		public int read(byte[] buffer, int offset, int length) {
			try {
				return super.read(buffer, offset, length);
			}
			catch (IOException ex) {
				throw refusal(ex, MultipartUpload.this.maxFileSize);
			}
		}

	}

}
