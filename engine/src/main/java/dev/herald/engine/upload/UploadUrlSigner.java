package dev.herald.engine.upload;

import java.net.URI;
import java.time.Duration;

/**
 * Makes presigned PUT URLs for one storage account and names its objects' public URLs. The upload engine
 * needs nothing else from storage besides an {@link dev.herald.engine.spi.ObjectVerifier}, so it stays
 * free of any storage SDK; {@code dev.herald.engine.s3.S3Uploads} provides the S3/R2 implementation.
 *
 * <p>Implementations are thread-safe and do no network I/O in {@link #presignPut}.
 */
public interface UploadUrlSigner {

    /**
     * A presigned PUT of {@code bucket}/{@code key} with {@code contentType} signed in and, when
     * {@code size} is not null, that exact body size.
     *
     * @param bucket      bucket name, already checked by the engine
     * @param key         object key, already checked by the engine
     * @param contentType media type the client must send
     * @param size        exact body size in bytes, or null for any size
     * @param expiry      how long the URL works
     * @throws IllegalArgumentException when the store refuses one of the arguments; the engine reports it
     *                                  as {@link dev.herald.engine.ErrorCode#INVALID_UPLOAD}
     */
    PresignedUpload presignPut(String bucket, String key, String contentType, Long size, Duration expiry);

    /** The URL the object will be reachable at (whether it answers without credentials is the bucket's policy). */
    URI publicUrl(String bucket, String key);

    /** The provider's short name, stored with each upload and sent in payloads: {@code s3}, {@code r2}, ... */
    String provider();
}
