package dev.labkafka.stream.originals;

import java.io.ByteArrayInputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Collections;
import java.util.Optional;

import com.mongodb.client.gridfs.GridFSBuckets;
import dev.labkafka.stream.VideoStreamApplication;
import dev.labkafka.testsupport.EmbeddedInfrastructure;
import org.bson.BsonObjectId;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.MongoDatabaseFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The originals as the worker serves them to its own programs, over real HTTP: byte
 * ranges for an open reading, counted; nothing without one, after it, or over a
 * connection that does not come in on the loopback.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = VideoStreamApplication.CONFIG_NAME)
@EmbeddedInfrastructure
class OriginalEndpointTests {

	@Autowired
	OriginalReads reads;

	@Autowired
	MongoDatabaseFactory databases;

	@LocalServerPort
	int port;

	final HttpClient http = HttpClient.newHttpClient();

	@Test
	void servesByteRangesOfTheOriginalToAnOpenReadingAndCountsThem() throws Exception {
		byte[] bytes = new byte[3 * 1024 * 1024];
		for (int i = 0; i < bytes.length; i++) {
			bytes[i] = (byte) (i * 31);
		}
		String id = store(bytes);
		String url;
		try (OriginalReads.Reading reading = this.reads.start(id)) {
			url = reading.url();
			assertThat(reading.stored()).isTrue();
			HttpResponse<byte[]> range = get(url, "bytes=2097152-2097251");
			assertThat(range.statusCode()).isEqualTo(206);
			assertThat(range.body()).isEqualTo(Arrays.copyOfRange(bytes, 2097152, 2097252));
			assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 2097152-2097251/3145728");
			assertThat(reading.bytesRead()).as("what was sent, not what was skipped").isEqualTo(100);
			assertThat(get(url, "bytes=4000000-").statusCode()).as("past the end").isEqualTo(416);
			assertThat(get(url.replace(id, new ObjectId().toHexString()), null).statusCode()).as("no such video")
				.isEqualTo(404);
			assertThat(get(url.replace(id, "..%2F..%2Fetc"), null).statusCode()).isIn(400, 404);
			Optional<InetAddress> outside = nonLoopbackAddress();
			if (outside.isPresent()) {
				String host = outside.get().getHostAddress();
				assertThat(get(url.replace("127.0.0.1", host), null).statusCode())
					.as("a connection to %s, not the loopback", host)
					.isEqualTo(404);
			}
		}
		assertThat(get(url, "bytes=0-9").statusCode()).as("after the reading ended").isEqualTo(404);
		assertThat(get(url.substring(0, url.indexOf('?')), "bytes=0-9").statusCode()).as("without a reading")
			.isEqualTo(404);
	}

	private HttpResponse<byte[]> get(String url, String range) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
		if (range != null) {
			request.header("Range", range);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
	}

	private String store(byte[] bytes) {
		ObjectId id = new ObjectId();
		GridFSBuckets.create(this.databases.getMongoDatabase())
			.uploadFromStream(new BsonObjectId(id), "original.bin", new ByteArrayInputStream(bytes));
		return id.toHexString();
	}

	private static Optional<InetAddress> nonLoopbackAddress() throws Exception {
		for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
			if (network.isUp() && !network.isLoopback()) {
				for (InetAddress address : Collections.list(network.getInetAddresses())) {
					if (address instanceof Inet4Address) {
						return Optional.of(address);
					}
				}
			}
		}
		return Optional.empty();
	}

}
