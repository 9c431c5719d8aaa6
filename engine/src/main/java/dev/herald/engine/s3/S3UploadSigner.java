package dev.herald.engine.s3;

import dev.herald.engine.upload.PresignedUpload;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

/**
 * Makes presigned PUT URLs so clients upload straight to storage, with the content type (and, when known,
 * the size) signed in: storage refuses a PUT that sends anything else. Signing is local (no network).
 *
 * <p>The signature time is the machine's real clock, not an injected one: storage checks it against its
 * own clock, so only real time gives a URL that works. {@link PresignedUpload#expiresAt()} is computed from it.
 *
 * <p>Thread-safe. Holds an SDK presigner; {@link #close()} it when done.
 */
public final class S3UploadSigner implements AutoCloseable {

    /** Shortest accepted URL lifetime. */
    public static final Duration MIN_EXPIRY = Duration.ofSeconds(1);
    /** Longest accepted URL lifetime: the SigV4 limit. */
    public static final Duration MAX_EXPIRY = Duration.ofDays(7);
    /** Largest object a single PUT may carry on S3 (5 GiB). */
    public static final long MAX_SINGLE_PUT_SIZE = 5L * 1024 * 1024 * 1024;

    private static final String HOST = "host";
    private static final String CONTENT_LENGTH = "content-length";

    private final S3Storage storage;
    private final S3Presigner presigner;

    private S3UploadSigner(S3Storage storage) {
        this.storage = storage;
        this.presigner = SdkClients.presigner(storage);
    }

    /**
     * A signer for {@code storage}.
     *
     * @throws NullPointerException if {@code storage} is null
     */
    public static S3UploadSigner create(S3Storage storage) {
        return new S3UploadSigner(Objects.requireNonNull(storage, "storage"));
    }

    /** The storage this signer signs for. */
    public S3Storage storage() {
        return storage;
    }

    /**
     * A presigned PUT of {@code bucket}/{@code key} with {@code contentType} signed in and any body size.
     *
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code bucket} is not 1 to 255 letters, digits, {@code .-_};
     *                                  {@code key} is empty, over 1024 UTF-8 bytes or holds control characters;
     *                                  {@code contentType} is not a media type; or {@code expiry} is outside
     *                                  {@link #MIN_EXPIRY} to {@link #MAX_EXPIRY}
     */
    public PresignedUpload presignPut(String bucket, String key, String contentType, Duration expiry) {
        return sign(bucket, key, contentType, null, expiry);
    }

    /**
     * A presigned PUT of {@code bucket}/{@code key} with {@code contentType} and {@code size} signed in: the
     * body must be exactly {@code size} bytes.
     *
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException as {@link #presignPut(String, String, String, Duration)}, or if
     *                                  {@code size} is outside 0 to {@link #MAX_SINGLE_PUT_SIZE}
     */
    public PresignedUpload presignPut(String bucket, String key, String contentType, long size, Duration expiry) {
        if (size < 0 || size > MAX_SINGLE_PUT_SIZE) {
            throw new IllegalArgumentException("size must be between 0 and " + MAX_SINGLE_PUT_SIZE + " bytes, was " + size);
        }
        return sign(bucket, key, contentType, size, expiry);
    }

    private PresignedUpload sign(String bucket, String key, String contentType, Long size, Duration expiry) {
        StorageNames.checkBucket(bucket);
        StorageNames.checkKey(key);
        StorageNames.checkContentType(contentType);
        checkExpiry(expiry);
        PutObjectRequest.Builder put = PutObjectRequest.builder().bucket(bucket).key(key).contentType(contentType);
        if (size != null) {
            put.contentLength(size);
        }
        PresignedPutObjectRequest signed = presigner.presignPutObject(r -> r
                .signatureDuration(expiry)
                .putObjectRequest(put.build()));
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> h : signed.signedHeaders().entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (!name.equals(HOST) && !name.equals(CONTENT_LENGTH)) {
                headers.put(name, String.join(",", h.getValue()));
            }
        }
        return new PresignedUpload(toUri(signed), "PUT", headers, size, signed.expiration());
    }

    static Duration checkExpiry(Duration expiry) {
        Objects.requireNonNull(expiry, "expiry");
        if (expiry.compareTo(MIN_EXPIRY) < 0 || expiry.compareTo(MAX_EXPIRY) > 0) {
            throw new IllegalArgumentException("expiry must be between " + MIN_EXPIRY + " and " + MAX_EXPIRY
                    + ", was " + expiry);
        }
        return expiry;
    }

    private static URI toUri(PresignedPutObjectRequest signed) {
        try {
            return signed.url().toURI();
        } catch (URISyntaxException e) {
            // The SDK encodes every part of the URL it builds; this cannot happen for a checked bucket and key.
            // The cause is dropped on purpose: its message would carry the signature.
            throw new IllegalStateException("presigned URL is not a valid URI: " + e.getReason());
        }
    }

    /** Releases the SDK presigner. Idempotent. */
    @Override
    public void close() {
        presigner.close();
    }

    /** The storage, without credentials. */
    @Override
    public String toString() {
        return "S3UploadSigner[" + storage + "]";
    }
}
