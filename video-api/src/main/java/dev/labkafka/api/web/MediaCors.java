package dev.labkafka.api.web;

import java.time.Duration;
import java.util.List;

import dev.labkafka.videos.StoredMedia;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * Cross-origin reads of the media, as a player embedded on another site (or served from a
 * CDN) makes them: the originals, poster frames, renditions and HLS playlists may be read
 * with {@code GET} and {@code HEAD} from any origin ({@code Access-Control-Allow-Origin:
 * *}, no credentials), with a {@code Range} (hls.js asks for each segment's byte range,
 * which needs a preflight), and their {@code Content-Range}, {@code Content-Length},
 * {@code Accept-Ranges} and {@code ETag} are readable by the player's script. Nothing
 * else is: the JSON API, the event streams, the uploads and every write answer no CORS
 * headers, so a page elsewhere cannot read the catalog or write with someone's token (it
 * needs none: the media urls it plays come from whoever embeds it).
 */
final class MediaCors {

	/** The read-only media endpoints. */
	static final List<String> PATHS = List.of("/v1/videos/*/" + StoredMedia.CONTENT_PATH,
			"/v1/videos/*/" + StoredMedia.THUMBNAIL_PATH, "/v1/videos/*/" + StoredMedia.VARIANTS_PATH + "/*",
			"/v1/videos/*/" + StoredMedia.HLS_PATH + "/*");

	/** How long a browser may keep a preflight's answer. */
	static final Duration PREFLIGHT_AGE = Duration.ofDays(1);

	private MediaCors() {
	}

	static CorsConfigurationSource source() {
		CorsConfiguration media = new CorsConfiguration();
		media.addAllowedOrigin(CorsConfiguration.ALL);
		media.setAllowedMethods(List.of(HttpMethod.GET.name(), HttpMethod.HEAD.name()));
		media.setAllowedHeaders(List.of(HttpHeaders.RANGE, HttpHeaders.IF_NONE_MATCH, HttpHeaders.IF_MODIFIED_SINCE,
				HttpHeaders.IF_RANGE));
		media.setExposedHeaders(List.of(HttpHeaders.CONTENT_RANGE, HttpHeaders.CONTENT_LENGTH,
				HttpHeaders.ACCEPT_RANGES, HttpHeaders.ETAG));
		media.setAllowCredentials(false);
		media.setMaxAge(PREFLIGHT_AGE);
		UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
		PATHS.forEach((path) -> source.registerCorsConfiguration(path, media));
		return source;
	}

}
