package dev.herald.demo.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default data directory is relative ("./data"); the embedded store must accept such a path. */
class EmbeddedS3Test {

    @Test
    void aRelativeDataDirectoryWithDotSegmentsWorks(@TempDir Path dir) {
        Path relative = Path.of("").toAbsolutePath().relativize(dir).resolve("./x/../s3");
        try (EmbeddedS3 s3 = EmbeddedS3.start(relative, 0)) {
            s3.createBucket("herald-demo");
            assertThat(Files.isDirectory(dir.resolve("s3").resolve("herald-demo"))).isTrue();
        }
    }
}
