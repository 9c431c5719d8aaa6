package dev.herald.engine.upload;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link Uploads#register} gives back: where and how the client uploads, and the token it confirms with.
 *
 * @param token         the {@code wh_…} webhook token, also the upload's id
 * @param batchId       the batch's id, or null outside a batch
 * @param provider      storage provider name
 * @param bucket        bucket
 * @param key           object key
 * @param upload        the presigned PUT the client sends
 * @param fileUrl       the object's URL once uploaded
 * @param urlExpiresAt  when the presigned URL stops working
 * @param expiresAt     when the engine stops watching; confirming after it answers
 *                      {@link dev.herald.engine.ErrorCode#UPLOAD_EXPIRED}
 * @param endpointId    the endpoint the upload's events go to (an ad-hoc one when the request gave a URL)
 * @param webhookSecret the generated secret of an ad-hoc webhook registered without one, shown only here;
 *                      null otherwise. {@link #toString()} hides it
 */
public record RegisteredUpload(String token, String batchId, String provider, String bucket, String key,
                               PresignedUpload upload, URI fileUrl, Instant urlExpiresAt, Instant expiresAt,
                               String endpointId, String webhookSecret) {
    public RegisteredUpload {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(upload, "upload");
    }

    /** The presigned URL, shorthand for {@code upload().url()}. */
    public URI uploadUrl() {
        return upload.url();
    }

    /** The headers the client must send, shorthand for {@code upload().headers()}. */
    public Map<String, String> headers() {
        return upload.headers();
    }

    @Override
    public String toString() {
        return "RegisteredUpload[token=" + token + ", batchId=" + batchId + ", bucket=" + bucket + ", key=" + key
                + ", upload=" + upload + ", expiresAt=" + expiresAt + ", endpointId=" + endpointId
                + ", webhookSecret=" + (webhookSecret == null ? "none" : "***") + "]";
    }
}
