package dev.labkafka.api.video;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class VideoCatalogTests {

	@Test
	void keepsAPlainFilenameAsItIs() {
		assertThat(VideoCatalog.cleanFilename("big_buck_bunny 240p.mp4")).isEqualTo("big_buck_bunny 240p.mp4");
		assertThat(VideoCatalog.cleanFilename("影片.mp4")).isEqualTo("影片.mp4");
	}

	@Test
	void dropsDirectoriesFromHostileFilenames() {
		assertThat(VideoCatalog.cleanFilename("../../etc/passwd")).isEqualTo("passwd");
		assertThat(VideoCatalog.cleanFilename("C:\\Users\\me\\clip.mp4")).isEqualTo("clip.mp4");
		assertThat(VideoCatalog.cleanFilename("..")).isEqualTo("video");
		assertThat(VideoCatalog.cleanFilename("dir/")).isEqualTo("video");
	}

	@Test
	void dropsControlCharactersAndBoundsTheLength() {
		assertThat(VideoCatalog.cleanFilename("a\r\nb\u0000c.mp4")).isEqualTo("abc.mp4");
		assertThat(VideoCatalog.cleanFilename("x".repeat(10_000))).hasSize(255);
		assertThat(VideoCatalog.cleanFilename(null)).isEqualTo("video");
		assertThat(VideoCatalog.cleanFilename("   ")).isEqualTo("video");
	}

}
