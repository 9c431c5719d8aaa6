package dev.herald.engine.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.engine.upload.PresignedUpload;
import dev.herald.engine.upload.UploadSettings;
import dev.herald.engine.upload.UploadUrlSigner;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The bridge from {@link S3Storage} to the storage-neutral upload settings. Signing is local: no server. */
class S3UploadsTest {
    private static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final String ACCOUNT = "0123456789abcdef0123456789abcdef";

    @Test
    void settingsCarryASignerAndTheVerifier() {
        S3Storage r2 = S3Storage.r2(ACCOUNT).credentials(KEY_ID, SECRET)
                .publicBaseUrl(URI.create("https://files.example.com")).build();
        try (S3Uploads s3 = S3Uploads.create(r2)) {
            UploadSettings settings = s3.settings().defaultBucket("media").build();

            assertThat(settings.verifier()).isSameAs(s3.verifier());
            UploadUrlSigner signer = settings.signer();
            assertThat(signer.provider()).isEqualTo("r2");
            assertThat(signer.publicUrl("media", "a b/c.png")).isEqualTo(URI.create("https://files.example.com/a%20b/c.png"));
            PresignedUpload any = signer.presignPut("media", "a.png", "image/png", null, Duration.ofMinutes(5));
            assertThat(any.url().getHost()).isEqualTo("media." + ACCOUNT + ".r2.cloudflarestorage.com");
            assertThat(any.contentLength()).isNull();
            assertThat(any.headers()).containsEntry("content-type", "image/png");
            assertThat(any.toString()).doesNotContain("X-Amz-Signature").contains("?…");
            PresignedUpload sized = signer.presignPut("media", "a.png", "image/png", 42L, Duration.ofMinutes(5));
            assertThat(sized.contentLength()).isEqualTo(42L);
            assertThat(sized.url().getRawQuery()).contains("content-length");
            assertThatThrownBy(() -> s3.settings().verifier(s3.verifier())).isInstanceOf(IllegalStateException.class)
                    .hasMessage("verifier was already set");
        }
    }

    @Test
    void storeRefusalsSurfaceAsIllegalArgument() {
        try (S3UploadSigner presigner = S3UploadSigner.create(S3Storage.awsS3("us-east-1").credentials(KEY_ID, SECRET)
                .build())) {
            UploadUrlSigner signer = S3Uploads.signer(presigner);

            assertThat(signer.provider()).isEqualTo("s3");
            assertThatThrownBy(() -> signer.presignPut("b-1", "k", "image/png", S3UploadSigner.MAX_SINGLE_PUT_SIZE + 1,
                    Duration.ofMinutes(5))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> S3Uploads.signer(null)).isInstanceOf(NullPointerException.class).hasMessage("signer");
            assertThatThrownBy(() -> S3Uploads.create(null)).isInstanceOf(NullPointerException.class).hasMessage("storage");
        }
    }
}
