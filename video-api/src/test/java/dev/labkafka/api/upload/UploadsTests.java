package dev.labkafka.api.upload;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UploadsTests {

	@Test
	void keepsAPlainFilenameAsItIs() {
		assertThat(Uploads.cleanFilename("big_buck_bunny 240p.mp4")).isEqualTo("big_buck_bunny 240p.mp4");
		assertThat(Uploads.cleanFilename("影片.mp4")).isEqualTo("影片.mp4");
	}

	@Test
	void dropsDirectoriesFromHostileFilenames() {
		assertThat(Uploads.cleanFilename("../../etc/passwd")).isEqualTo("passwd");
		assertThat(Uploads.cleanFilename("C:\\Users\\me\\clip.mp4")).isEqualTo("clip.mp4");
		assertThat(Uploads.cleanFilename("..")).isEqualTo("video");
		assertThat(Uploads.cleanFilename("dir/")).isEqualTo("video");
	}

	@Test
	void dropsControlCharactersAndBoundsTheLength() {
		assertThat(Uploads.cleanFilename("a\r\nb\u0000c.mp4")).isEqualTo("abc.mp4");
		assertThat(Uploads.cleanFilename("x".repeat(10_000))).hasSize(255);
		assertThat(Uploads.cleanFilename(null)).isEqualTo("video");
		assertThat(Uploads.cleanFilename("   ")).isEqualTo("video");
	}

	@Test
	void dropsBidirectionalControlsThatDisguiseAName() {
		assertThat(Uploads.cleanFilename("clip\u202Egpj.exe")).isEqualTo("clipgpj.exe");
		String controls = "\u061C\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069";
		assertThat(Uploads.cleanFilename("a" + controls + "b.mp4")).isEqualTo("ab.mp4");
		String invisible = "\u200B\u200C\u200D\u2060\u2061\u2062\u2063\u2064\uFEFF\u206A\u206F";
		assertThat(Uploads.cleanFilename("a" + invisible + "b.mp4")).as("zero-width characters").isEqualTo("ab.mp4");
		assertThat(Uploads.cleanFilename("\u05E1\u05E8\u05D8.mp4")).as("right-to-left letters stay")
			.isEqualTo("\u05E1\u05E8\u05D8.mp4");
	}

}
