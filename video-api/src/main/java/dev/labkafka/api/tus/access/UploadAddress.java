package dev.labkafka.api.tus.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bson.types.ObjectId;

/**
 * What names a resumable upload in its URL, {@code /v1/uploads/<video id>-<key>}: the id
 * of the video it becomes (an ObjectId, which counts up and can be guessed) and a key of
 * its own, {@value #KEY_BYTES} random bytes from {@link SecureRandom} in URL-safe base64.
 * The URL is a capability: whoever holds it may write the upload, nobody else can guess
 * it.
 *
 * @param video the id of the video the upload becomes
 * @param key the upload's secret
 */
public record UploadAddress(ObjectId video, String key) {

	/** How many random bytes a key has: 192 bits. */
	public static final int KEY_BYTES = 24;

	private static final SecureRandom random = new SecureRandom();

	private static final Pattern ADDRESS = Pattern.compile("([0-9a-fA-F]{24})-([A-Za-z0-9_-]{"
			+ Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[KEY_BYTES]).length() + "})");

	/** A new upload's address, with a fresh key. */
	public static UploadAddress generate(ObjectId video) {
		byte[] key = new byte[KEY_BYTES];
		random.nextBytes(key);
		return new UploadAddress(video, Base64.getUrlEncoder().withoutPadding().encodeToString(key));
	}

	/** The address a URL's last segment gives, if it is one. */
	public static Optional<UploadAddress> parse(String segment) {
		Matcher matcher = ADDRESS.matcher(segment);
		return matcher.matches() ? Optional.of(new UploadAddress(new ObjectId(matcher.group(1)), matcher.group(2)))
				: Optional.empty();
	}

	/** The URL's last segment. */
	public String segment() {
		return this.video.toHexString() + "-" + this.key;
	}

	/** Whether this address's key is {@code stored}, compared in constant time. */
	public boolean opens(String stored) {
		return MessageDigest.isEqual(this.key.getBytes(StandardCharsets.US_ASCII),
				stored.getBytes(StandardCharsets.US_ASCII));
	}

	@Override
	public String toString() {
		// Never the key: addresses are logged.
		return this.video.toHexString();
	}

}
