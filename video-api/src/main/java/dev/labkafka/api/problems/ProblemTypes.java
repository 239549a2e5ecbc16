package dev.labkafka.api.problems;

import java.net.URI;

import dev.labkafka.api.VideoApiSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * The problems' types as answers carry them: absolute, against
 * {@code video.api.public-base-url}, each a page of this API
 * ({@link ProblemTypeController}).
 */
@Component
public class ProblemTypes {

	private final String base;

	ProblemTypes(VideoApiSettings settings) {
		String base = settings.publicBaseUrl().toString();
		this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
	}

	/** A problem's type as answers carry it: absolute, when it is one of this API's. */
	public @Nullable URI absolute(@Nullable URI type) {
		if (type == null || type.isAbsolute() || !type.getPath().startsWith(ApiProblem.TYPES_PATH)) {
			return type;
		}
		return URI.create(this.base + type);
	}

}
