package dev.labkafka.api.tus;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import dev.labkafka.api.problems.ApiProblem;
import dev.labkafka.api.problems.ProblemException;

/**
 * The tus protocol's values in headers, read as the protocol writes them: numbers of
 * bytes ({@code Upload-Length}, {@code Upload-Offset}) and {@code Upload-Metadata}.
 * Anything else is {@link ApiProblem#INVALID_UPLOAD_REQUEST}, naming the header.
 */
final class TusHeaders {

	private static final int MAX_METADATA_LENGTH = 4096;

	private TusHeaders() {
	}

	/** A number of bytes: decimal digits only, as the protocol has it. */
	static long length(String header, String value) {
		String digits = value.strip();
		if (digits.matches("[0-9]{1,18}")) {
			return Long.parseLong(digits);
		}
		throw ApiProblem.INVALID_UPLOAD_REQUEST.exception(
				header + " is a number of bytes in decimal digits; '" + ApiProblem.abbreviate(value) + "' is not.");
	}

	/**
	 * {@code Upload-Metadata}: comma-separated pairs of a key and its value in base64 (or
	 * a key alone).
	 */
	static Map<String, String> metadata(String metadata) {
		if (metadata.length() > MAX_METADATA_LENGTH) {
			throw ApiProblem.INVALID_UPLOAD_REQUEST
				.exception("Upload-Metadata may be at most " + MAX_METADATA_LENGTH + " characters.");
		}
		Map<String, String> fields = new HashMap<>();
		if (metadata.isBlank()) {
			return fields;
		}
		for (String pair : metadata.split(",")) {
			String[] keyAndValue = pair.strip().split(" ");
			if (keyAndValue.length > 2 || keyAndValue[0].isEmpty() || fields.containsKey(keyAndValue[0])) {
				throw invalidMetadata(pair);
			}
			try {
				String value = (keyAndValue.length == 2)
						? new String(Base64.getDecoder().decode(keyAndValue[1]), StandardCharsets.UTF_8) : "";
				fields.put(keyAndValue[0], value);
			}
			catch (IllegalArgumentException ex) {
				throw invalidMetadata(pair);
			}
		}
		return fields;
	}

	private static ProblemException invalidMetadata(String pair) {
		return ApiProblem.INVALID_UPLOAD_REQUEST
			.exception("Upload-Metadata is comma-separated pairs of a key and its value in base64, "
					+ "each key once; '" + ApiProblem.abbreviate(pair.strip()) + "' is not one.");
	}

}
