package dev.herald.engine.s3;

import dev.herald.engine.upload.PresignedUpload;
import dev.herald.engine.upload.UploadSettings;
import dev.herald.engine.upload.UploadUrlSigner;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Uploads to S3, R2 or an S3-compatible store: a presigner and a verifier for one {@link S3Storage},
 * ready to become {@link UploadSettings}.
 * <pre>{@code
 * try (S3Uploads s3 = S3Uploads.create(storage)) {
 *     Herald herald = Herald.builder()
 *             .uploads(s3.settings().defaultBucket("uploads").build())
 *             .build().start();
 *     ...
 * }
 * }</pre>
 * Close it after the engine that uses it: it holds the SDK's presigner and HTTP client. Thread-safe.
 */
public final class S3Uploads implements AutoCloseable {
    private final S3UploadSigner signer;
    private final S3ObjectVerifier verifier;

    private S3Uploads(S3UploadSigner signer, S3ObjectVerifier verifier) {
        this.signer = signer;
        this.verifier = verifier;
    }

    /**
     * A presigner and a verifier with its defaults for {@code storage}.
     *
     * @throws NullPointerException if {@code storage} is null
     */
    public static S3Uploads create(S3Storage storage) {
        Objects.requireNonNull(storage, "storage");
        return new S3Uploads(S3UploadSigner.create(storage), S3ObjectVerifier.create(storage));
    }

    /**
     * The given presigner and verifier, for a verifier with its own timeout or HTTP client. Both are closed
     * by {@link #close()}.
     *
     * @throws NullPointerException if either is null
     */
    public static S3Uploads of(S3UploadSigner signer, S3ObjectVerifier verifier) {
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(verifier, "verifier");
        return new S3Uploads(signer, verifier);
    }

    /**
     * An {@link UploadUrlSigner} over {@code signer}, for hosts that assemble {@link UploadSettings} themselves.
     * The adapter does not own the signer.
     *
     * @throws NullPointerException if {@code signer} is null
     */
    public static UploadUrlSigner signer(S3UploadSigner signer) {
        return new Adapter(Objects.requireNonNull(signer, "signer"));
    }

    /** A settings builder with this presigner and verifier set; add the bucket and limits, then build. */
    public UploadSettings.Builder settings() {
        return UploadSettings.builder().signer(signer(signer)).verifier(verifier);
    }

    /** The presigner. */
    public S3UploadSigner presigner() {
        return signer;
    }

    /** The verifier. */
    public S3ObjectVerifier verifier() {
        return verifier;
    }

    /** Closes the presigner and the verifier. Idempotent. */
    @Override
    public void close() {
        signer.close();
        verifier.close();
    }

    @Override
    public String toString() {
        return "S3Uploads[" + signer.storage() + "]";
    }

    /** {@link S3UploadSigner} seen as an {@link UploadUrlSigner}. */
    private record Adapter(S3UploadSigner signer) implements UploadUrlSigner {
        @Override
        public PresignedUpload presignPut(String bucket, String key, String contentType, Long size, Duration expiry) {
            return size == null ? signer.presignPut(bucket, key, contentType, expiry)
                    : signer.presignPut(bucket, key, contentType, size, expiry);
        }

        @Override
        public URI publicUrl(String bucket, String key) {
            return signer.storage().publicUrl(bucket, key);
        }

        @Override
        public String provider() {
            return signer.storage().provider().id();
        }

        @Override
        public String toString() {
            return "S3UploadUrlSigner[" + signer.storage() + "]";
        }
    }
}
