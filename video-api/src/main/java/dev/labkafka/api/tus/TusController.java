package dev.labkafka.api.tus;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.Principal;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import dev.labkafka.api.VideoApiSettings;
import dev.labkafka.api.problems.ApiProblem;
import dev.labkafka.api.problems.Problems;
import dev.labkafka.api.tus.access.UploadAddress;
import dev.labkafka.api.upload.UploadSlots;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * Resumable uploads over the tus protocol 1.0.0
 * (https://tus.io/protocols/resumable-upload), with its {@code creation},
 * {@code creation-with-upload}, {@code termination} and {@code expiration} extensions.
 * The protocol's headers are read and written here; {@link ResumableUploads} keeps the
 * uploads. Every answer about an upload carries {@code Video-Id}: the id of the video it
 * becomes once its last byte is in. An upload's URL ({@code Location}) is its
 * {@link UploadAddress}: the video's id and a key only its creator is told. The creator
 * is the token's subject when writes need a token (only it may then reach the upload),
 * else the remote address; each one's creations are bounded.
 */
@RestController
@RequestMapping(TusController.PATH)
@Tag(name = "uploads", description = "Resumable uploads (tus 1.0.0)")
class TusController {

	static final String PATH = "/v1/uploads";

	static final String TUS_RESUMABLE = "Tus-Resumable";

	static final String TUS_VERSION = "1.0.0";

	static final String TUS_EXTENSIONS = "creation,creation-with-upload,termination,expiration";

	static final String OFFSET_OCTET_STREAM = "application/offset+octet-stream";

	static final String UPLOAD_OFFSET = "Upload-Offset";

	static final String UPLOAD_LENGTH = "Upload-Length";

	static final String UPLOAD_METADATA = "Upload-Metadata";

	static final String UPLOAD_EXPIRES = "Upload-Expires";

	static final String VIDEO_ID = "Video-Id";

	private final ResumableUploads uploads;

	private final UploadSlots slots;

	private final VideoApiSettings settings;

	TusController(ResumableUploads uploads, UploadSlots slots, VideoApiSettings settings) {
		this.uploads = uploads;
		this.slots = slots;
		this.settings = settings;
	}

	@Operation(summary = "What this server supports of tus")
	@ApiResponse(responseCode = "204",
			description = "Tus-Version, Tus-Extension and Tus-Max-Size say what this server supports")
	@RequestMapping(method = RequestMethod.OPTIONS, path = { "", "/{id}" })
	ResponseEntity<Void> options() {
		return ResponseEntity.noContent()
			.header("Tus-Version", TUS_VERSION)
			.header("Tus-Extension", TUS_EXTENSIONS)
			.header("Tus-Max-Size", String.valueOf(this.settings.upload().maxFileSize().toBytes()))
			.build();
	}

	@Operation(summary = "Create an upload",
			description = "Upload-Length gives its size; Upload-Metadata may give 'filename' and 'filetype' (base64). "
					+ "With Content-Type application/offset+octet-stream, the body is its first bytes.")
	@ApiResponse(responseCode = "201",
			description = "Created: Location is the upload, Video-Id the id of the video it becomes")
	@Problems({ ApiProblem.INVALID_UPLOAD_REQUEST, ApiProblem.UNSUPPORTED_TUS_VERSION, ApiProblem.UPLOAD_TOO_LARGE,
			ApiProblem.NOT_A_VIDEO, ApiProblem.TOO_MANY_UPLOADS, ApiProblem.TOO_MANY_UPLOADS_FROM_CLIENT,
			ApiProblem.UPLOAD_TOO_SLOW, ApiProblem.UPLOAD_RATE_EXCEEDED, ApiProblem.TOO_MANY_OPEN_UPLOADS,
			ApiProblem.UPLOADS_FULL, ApiProblem.TOKEN_NEEDED, ApiProblem.SCOPE_MISSING })
	@PostMapping
	ResponseEntity<Void> create(@RequestHeader(name = TUS_RESUMABLE, required = false) @Nullable String version,
			@RequestHeader(name = UPLOAD_LENGTH, required = false) @Nullable String length,
			@RequestHeader(name = UPLOAD_METADATA, required = false) @Nullable String metadata,
			HttpServletRequest request, HttpServletResponse response) throws IOException {
		checkVersion(version, response);
		if (length == null) {
			throw ApiProblem.INVALID_UPLOAD_REQUEST.exception((request.getHeader("Upload-Defer-Length") != null)
					? "Upload-Defer-Length is not supported: give Upload-Length." : "Upload-Length is missing.");
		}
		long size = TusHeaders.length(UPLOAD_LENGTH, length);
		String raw = (metadata != null) ? metadata : "";
		Map<String, String> fields = TusHeaders.metadata(raw);
		String owner = owner(request);
		String client = UploadSlots.clientOf(request);
		if (!carriesBytes(request)) {
			Upload upload = this.uploads.create(size, fields.get("filename"), raw, owner, client);
			return created(upload, response);
		}
		// With its first bytes: refused before anything is stored when they cannot be
		// read now (no slot) or go past the upload.
		try (UploadSlots.Slot slot = this.slots.take(request)) {
			ResumableUploads.checkFits(request.getContentLengthLong(), size, 0);
			Upload upload = this.uploads.create(size, fields.get("filename"), raw, owner, client);
			response.setHeader(VIDEO_ID, upload.id().toHexString());
			try (InputStream body = slot.body(request)) {
				return created(this.uploads.append(address(upload), owner, 0, body, -1), response);
			}
		}
	}

	@Operation(summary = "Where an upload is", description = "Upload-Offset: the bytes it has.")
	@ApiResponse(responseCode = "200", description = "Upload-Offset, Upload-Length, Video-Id")
	@Problems({ ApiProblem.UNSUPPORTED_TUS_VERSION, ApiProblem.UPLOAD_NOT_FOUND, ApiProblem.UPLOAD_EXPIRED,
			ApiProblem.UPLOAD_BUSY, ApiProblem.TOKEN_NEEDED, ApiProblem.SCOPE_MISSING })
	@RequestMapping(method = RequestMethod.HEAD, path = "/{id}")
	ResponseEntity<Void> status(@PathVariable String id,
			@RequestHeader(name = TUS_RESUMABLE, required = false) @Nullable String version, HttpServletRequest request,
			HttpServletResponse response) {
		checkVersion(version, response);
		Upload upload = this.uploads.find(address(id, response), owner(request));
		HttpHeaders headers = headers(upload);
		headers.set(UPLOAD_LENGTH, String.valueOf(upload.length()));
		if (!upload.metadata().isEmpty()) {
			headers.set(UPLOAD_METADATA, upload.metadata());
		}
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).headers(headers).build();
	}

	@Operation(summary = "Append bytes to an upload",
			description = "At Upload-Offset, which must be where the upload is. The body is "
					+ "application/offset+octet-stream. Once the last byte is in, the video exists.")
	@ApiResponse(responseCode = "204", description = "Upload-Offset: where the upload is now")
	@Parameter(name = UPLOAD_OFFSET, in = io.swagger.v3.oas.annotations.enums.ParameterIn.HEADER, required = true)
	@Problems({ ApiProblem.INVALID_UPLOAD_REQUEST, ApiProblem.UNSUPPORTED_TUS_VERSION, ApiProblem.UPLOAD_NOT_FOUND,
			ApiProblem.OFFSET_MISMATCH, ApiProblem.UPLOAD_BUSY, ApiProblem.UPLOAD_EXPIRED, ApiProblem.NOT_A_VIDEO,
			ApiProblem.TOO_MANY_UPLOADS, ApiProblem.TOO_MANY_UPLOADS_FROM_CLIENT, ApiProblem.UPLOAD_TOO_SLOW,
			ApiProblem.TOKEN_NEEDED, ApiProblem.SCOPE_MISSING })
	@PatchMapping(path = "/{id}", consumes = OFFSET_OCTET_STREAM)
	ResponseEntity<Void> append(@PathVariable String id,
			@RequestHeader(name = TUS_RESUMABLE, required = false) @Nullable String version,
			@RequestHeader(name = UPLOAD_OFFSET, required = false) @Nullable String offset, HttpServletRequest request,
			HttpServletResponse response) throws IOException {
		checkVersion(version, response);
		UploadAddress address = address(id, response);
		if (offset == null) {
			throw ApiProblem.INVALID_UPLOAD_REQUEST.exception("Upload-Offset is missing.");
		}
		Upload upload = append(address, TusHeaders.length(UPLOAD_OFFSET, offset), request);
		return ResponseEntity.noContent().headers(headers(upload)).build();
	}

	/**
	 * A {@code PATCH} sent as {@code POST} with {@code X-HTTP-Method-Override: PATCH},
	 * for clients whose HTTP stack has no {@code PATCH} (Java's
	 * {@code HttpURLConnection}, which the tus project's Java client uses).
	 */
	@Operation(summary = "Append bytes to an upload (for clients without PATCH)",
			description = "As PATCH, sent as POST with X-HTTP-Method-Override: PATCH.")
	@ApiResponse(responseCode = "204", description = "Upload-Offset: where the upload is now")
	@Problems({ ApiProblem.INVALID_UPLOAD_REQUEST, ApiProblem.UNSUPPORTED_TUS_VERSION, ApiProblem.UPLOAD_NOT_FOUND,
			ApiProblem.OFFSET_MISMATCH, ApiProblem.UPLOAD_BUSY, ApiProblem.UPLOAD_EXPIRED, ApiProblem.NOT_A_VIDEO,
			ApiProblem.TOO_MANY_UPLOADS, ApiProblem.TOO_MANY_UPLOADS_FROM_CLIENT, ApiProblem.UPLOAD_TOO_SLOW,
			ApiProblem.TOKEN_NEEDED, ApiProblem.SCOPE_MISSING })
	@PostMapping(path = "/{id}", headers = "X-HTTP-Method-Override=PATCH", consumes = OFFSET_OCTET_STREAM)
	ResponseEntity<Void> appendOverridden(@PathVariable String id,
			@RequestHeader(name = TUS_RESUMABLE, required = false) @Nullable String version,
			@RequestHeader(name = UPLOAD_OFFSET, required = false) @Nullable String offset, HttpServletRequest request,
			HttpServletResponse response) throws IOException {
		return append(id, version, offset, request, response);
	}

	@Operation(summary = "Terminate an upload", description = "Removes it and its bytes; it never becomes a video.")
	@ApiResponse(responseCode = "204", description = "Removed")
	@Problems({ ApiProblem.UNSUPPORTED_TUS_VERSION, ApiProblem.UPLOAD_NOT_FOUND, ApiProblem.UPLOAD_EXPIRED,
			ApiProblem.UPLOAD_COMPLETE, ApiProblem.TOKEN_NEEDED, ApiProblem.SCOPE_MISSING })
	@DeleteMapping("/{id}")
	ResponseEntity<Void> terminate(@PathVariable String id,
			@RequestHeader(name = TUS_RESUMABLE, required = false) @Nullable String version, HttpServletRequest request,
			HttpServletResponse response) {
		checkVersion(version, response);
		this.uploads.terminate(address(id, response), owner(request));
		return ResponseEntity.noContent().build();
	}

	/** Reads the body into the upload, holding one of this instance's upload slots. */
	private Upload append(UploadAddress address, long offset, HttpServletRequest request) throws IOException {
		long declared = request.getContentLengthLong();
		try (UploadSlots.Slot slot = this.slots.take(request); InputStream body = slot.body(request)) {
			return this.uploads.append(address, owner(request), offset, body, declared);
		}
	}

	private static ResponseEntity<Void> created(Upload upload, HttpServletResponse response) {
		response.setHeader(VIDEO_ID, upload.id().toHexString());
		return ResponseEntity.created(URI.create(PATH + "/" + address(upload).segment()))
			.headers(headers(upload))
			.build();
	}

	private static UploadAddress address(Upload upload) {
		return new UploadAddress(upload.id(), upload.key());
	}

	/**
	 * The upload the URL names. One that is not an upload's address (an id without its
	 * key) is unknown, like an upload that does not exist. Every answer about an upload
	 * names its video, errors included.
	 */
	private static UploadAddress address(String id, HttpServletResponse response) {
		UploadAddress address = UploadAddress.parse(id)
			.orElseThrow(() -> ApiProblem.UPLOAD_NOT_FOUND.exception(ApiProblem.abbreviate(id)));
		response.setHeader(VIDEO_ID, address.video().toHexString());
		return address;
	}

	/**
	 * The subject of the request's token, when writes need a token (Spring Security's
	 * principal; none for an anonymous request).
	 */
	private static @Nullable String owner(HttpServletRequest request) {
		Principal principal = request.getUserPrincipal();
		return (principal != null) ? principal.getName() : null;
	}

	/**
	 * A client of another version of the protocol is refused (every answer carries this
	 * one's: {@link TusResumableHeader}).
	 */
	private static void checkVersion(@Nullable String version, HttpServletResponse response) {
		if (!TUS_VERSION.equals(version)) {
			response.setHeader("Tus-Version", TUS_VERSION);
			throw ApiProblem.UNSUPPORTED_TUS_VERSION.exception((version == null) ? "has no Tus-Resumable header."
					: "asks for '" + ApiProblem.abbreviate(version) + "'.");
		}
	}

	/**
	 * A creation whose body is the upload's first bytes ({@code creation-with-upload}).
	 */
	private static boolean carriesBytes(HttpServletRequest request) {
		String type = request.getContentType();
		if (type == null) {
			return false;
		}
		try {
			return MediaType.parseMediaType(type).isCompatibleWith(MediaType.parseMediaType(OFFSET_OCTET_STREAM));
		}
		catch (InvalidMediaTypeException ex) {
			throw ApiProblem.INVALID_UPLOAD_REQUEST.exception("Content-Type '" + ApiProblem.abbreviate(type)
					+ "' is not a media type; a creation with bytes is " + OFFSET_OCTET_STREAM + ".");
		}
	}

	private static HttpHeaders headers(Upload upload) {
		HttpHeaders headers = new HttpHeaders();
		headers.set(VIDEO_ID, upload.id().toHexString());
		headers.set(UPLOAD_OFFSET, String.valueOf(upload.offset()));
		if (!upload.complete()) {
			headers.set(UPLOAD_EXPIRES,
					DateTimeFormatter.RFC_1123_DATE_TIME.format(upload.expiresAt().atOffset(ZoneOffset.UTC)));
		}
		return headers;
	}

}
