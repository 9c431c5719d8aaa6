package dev.herald.engine.upload;

import dev.herald.engine.model.UploadTrigger;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * What a tenant asks for when registering an upload. Only the file name and content type are required;
 * start from {@link #of(String, String)} and add the rest with the {@code with…} methods. The engine checks
 * every field when registering and refuses bad input with a {@link dev.herald.engine.HeraldException}.
 *
 * @param filename     the client's file name, 1 to 255 characters without control characters; kept as given
 *                     and used, sanitised, in a generated key
 * @param contentType  media type the client will upload, signed into the URL; must be allowed by
 *                     {@link UploadSettings#allowedContentTypes()}
 * @param expectedSize exact size in bytes, signed into the URL and checked at verification; null for any
 *                     size up to {@link UploadSettings#maxSize()}
 * @param key          object key; null to generate {@code <keyPrefix><token>/<sanitised filename>}. A given key
 *                     must not start with {@code /}, contain a {@code .} or {@code ..} segment or control
 *                     characters, or exceed 1024 UTF-8 bytes
 * @param bucket       bucket; null for {@link UploadSettings#defaultBucket()}
 * @param urlExpiry    lifetime of the presigned URL; null for {@link UploadSettings#urlExpiry()}
 * @param watchExpiry  how long the engine watches for the object; null for {@link UploadSettings#watchExpiry()};
 *                     never shorter than the URL's lifetime
 * @param triggers     how completion is learnt; empty or null for {@link UploadTrigger#CLIENT_CONFIRM}
 * @param webhook      where the upload's events go; required for {@link Uploads#register}, and must be null
 *                     in {@link Uploads#registerBatch} (the batch names one webhook for all)
 * @param metadata     a JSON object, returned untouched in the payloads; null for {@code {}}
 */
public record UploadRequest(String filename, String contentType, Long expectedSize, String key, String bucket,
                            Duration urlExpiry, Duration watchExpiry, Set<UploadTrigger> triggers,
                            UploadWebhook webhook, String metadata) {
    /**
     * Copies the triggers.
     *
     * @throws NullPointerException if {@code filename} or {@code contentType} is null, or a trigger is
     */
    public UploadRequest {
        Objects.requireNonNull(filename, "filename");
        Objects.requireNonNull(contentType, "contentType");
        triggers = triggers == null ? Set.of() : Set.copyOf(triggers);
    }

    /** A request for {@code filename} of {@code contentType}, every other field at its default. */
    public static UploadRequest of(String filename, String contentType) {
        return new UploadRequest(filename, contentType, null, null, null, null, null, null, null, null);
    }

    /** The same request expecting exactly {@code value} bytes (null for any size). */
    public UploadRequest withExpectedSize(Long value) {
        return new UploadRequest(filename, contentType, value, key, bucket, urlExpiry, watchExpiry, triggers,
                webhook, metadata);
    }

    /** The same request storing the object at {@code value} (null to generate a key). */
    public UploadRequest withKey(String value) {
        return new UploadRequest(filename, contentType, expectedSize, value, bucket, urlExpiry, watchExpiry,
                triggers, webhook, metadata);
    }

    /** The same request in bucket {@code value} (null for the default bucket). */
    public UploadRequest withBucket(String value) {
        return new UploadRequest(filename, contentType, expectedSize, key, value, urlExpiry, watchExpiry, triggers,
                webhook, metadata);
    }

    /** The same request with these lifetimes of URL and watch (null for the defaults). */
    public UploadRequest withExpiry(Duration url, Duration watch) {
        return new UploadRequest(filename, contentType, expectedSize, key, bucket, url, watch, triggers, webhook,
                metadata);
    }

    /** The same request learning completion by {@code values}. */
    public UploadRequest withTriggers(UploadTrigger... values) {
        return new UploadRequest(filename, contentType, expectedSize, key, bucket, urlExpiry, watchExpiry,
                Set.of(values), webhook, metadata);
    }

    /** The same request announcing to {@code value}. */
    public UploadRequest withWebhook(UploadWebhook value) {
        return new UploadRequest(filename, contentType, expectedSize, key, bucket, urlExpiry, watchExpiry, triggers,
                value, metadata);
    }

    /** The same request carrying {@code value}, a JSON object text (null for none). */
    public UploadRequest withMetadata(String value) {
        return new UploadRequest(filename, contentType, expectedSize, key, bucket, urlExpiry, watchExpiry, triggers,
                webhook, value);
    }
}
