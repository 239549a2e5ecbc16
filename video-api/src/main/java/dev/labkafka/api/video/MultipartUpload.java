package dev.labkafka.api.video;

import java.io.IOException;
import java.io.InputStream;

import dev.labkafka.api.video.VideoProblems.MalformedUpload;
import dev.labkafka.api.video.VideoProblems.MissingFilePart;
import dev.labkafka.api.video.VideoProblems.OneFileOnly;
import dev.labkafka.api.video.VideoProblems.UploadTooLarge;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.FileUploadException;
import org.apache.commons.fileupload2.core.FileUploadSizeException;
import org.apache.commons.fileupload2.jakarta.servlet6.JakartaServletFileUpload;
import org.jspecify.annotations.Nullable;

import org.springframework.web.ErrorResponseException;

/**
 * A {@code multipart/form-data} upload read as it arrives, so that the bytes of its
 * {@code file} part go from the client's connection straight to GridFS: nothing is
 * spooled to a temporary file or held in memory.
 * <p>
 * Spring's own multipart support is off ({@code spring.servlet.multipart.enabled: false})
 * because with it the servlet container reads the whole body to disk before the
 * controller runs, and the API then writes every byte a second time. The limits it
 * enforced are enforced here, and every way a body can be wrong becomes a problem: 400
 * when it is malformed, 413 when the file is over the limit.
 */
final class MultipartUpload {

	/** The name of the part that carries the video. */
	static final String FILE_PART = "file";

	/** Room for the multipart framing and small form fields around the file. */
	private static final long FRAMING = 1024 * 1024;

	private final FileItemInputIterator parts;

	private final long maxFileSize;

	private MultipartUpload(FileItemInputIterator parts, long maxFileSize) {
		this.parts = parts;
		this.maxFileSize = maxFileSize;
	}

	/** Starts reading the request's body; nothing of the file has been read yet. */
	static MultipartUpload of(HttpServletRequest request, VideoApiSettings.Upload limits) {
		long maxFileSize = limits.maxFileSize().toBytes();
		JakartaServletFileUpload<?, ?> upload = new JakartaServletFileUpload<>();
		upload.setMaxFileSize(maxFileSize);
		upload.setMaxSize(maxFileSize + FRAMING);
		upload.setMaxPartHeaderSize(Math.toIntExact(limits.maxPartHeaderSize().toBytes()));
		try {
			return new MultipartUpload(upload.getItemIterator(request), maxFileSize);
		}
		catch (IOException ex) {
			throw refusal(ex, maxFileSize);
		}
	}

	/**
	 * The {@code file} part, to be read next; the parts before it are skipped.
	 * @throws MissingFilePart if there is none
	 */
	FilePart file() {
		try {
			while (this.parts.hasNext()) {
				FileItemInput part = this.parts.next();
				if (FILE_PART.equals(part.getFieldName())) {
					return new FilePart(part.getName(), part.getInputStream());
				}
			}
		}
		catch (IOException ex) {
			throw refusal(ex);
		}
		throw new MissingFilePart();
	}

	/**
	 * Reads the rest of the body once the file has been read, to know that it is well
	 * formed and holds no second file. Other parts are skipped.
	 * @throws OneFileOnly if there is another {@code file} part
	 */
	void finish() throws IOException {
		int files = 1;
		while (this.parts.hasNext()) {
			if (FILE_PART.equals(this.parts.next().getFieldName())) {
				files++;
			}
		}
		if (files > 1) {
			throw new OneFileOnly(files);
		}
	}

	/**
	 * The problem to answer for an upload that failed while its body was read: reading
	 * the file's stream, or {@link #finish()}, throws an {@link IOException} when the
	 * body is malformed, over the limit, or cut short by the client.
	 */
	ErrorResponseException refusal(IOException ex) {
		return refusal(ex, this.maxFileSize);
	}

	private static ErrorResponseException refusal(IOException ex, long maxFileSize) {
		if (ex instanceof FileUploadSizeException tooLarge && tooLarge.getPermitted() >= maxFileSize) {
			// The file, or the request around it; a part's headers have a far lower
			// limit.
			return new UploadTooLarge(maxFileSize);
		}
		if (ex instanceof FileUploadException) {
			return new MalformedUpload(String.valueOf(ex.getMessage()));
		}
		return new MalformedUpload("the body ended before it was complete (" + ex.getClass().getSimpleName() + ")");
	}

	/**
	 * The file of an upload: the name the client gave it, and its bytes as they arrive.
	 */
	record FilePart(@Nullable String filename, InputStream content) {
	}

}
