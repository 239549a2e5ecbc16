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

}
