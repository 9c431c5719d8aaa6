package dev.herald.engine.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A direct-to-storage upload the engine watches. Its id is also the webhook token the client confirms
 * with. Changed only through {@code DeliveryStore.updateUpload}, which refuses a stale {@code version}.
 *
 * @param id            {@code wh_…}, the webhook token
 * @param tenant        owner
 * @param batchId       {@code batch_…} when registered in a batch, else null
 * @param provider      storage provider name ({@code s3}, {@code r2}, {@code s3-compatible})
 * @param bucket        bucket
 * @param key           object key
 * @param filename      the client's file name, as given
 * @param contentType   the content type signed into the URL
 * @param expectedSize  size the object must have, or null when any size will do
 * @param triggers      how completion is learnt
 * @param endpointId    where the upload's events go
 * @param metadata      JSON object text given at registration, returned untouched in the payload
 * @param status        life-cycle state
 * @param urlExpiresAt  when the presigned URL stops working
 * @param expiresAt     when the engine stops watching
 * @param nextCheckAt   when the poller or the verifier looks next, or null when nothing is scheduled
 * @param checks        HEADs made so far
 * @param observedSize  size seen by the last HEAD, or null
 * @param observedEtag  ETag seen by the last HEAD, or null
 * @param lastModified  last-modified time seen by the last HEAD, or null
 * @param failureReason reason code when REJECTED ({@code OBJECT_MISSING}, ...), else null
 * @param createdAt     when registered
 * @param updatedAt     when last changed
 * @param version       optimistic-lock version, 0 when first stored
 */
public record Upload(String id, String tenant, String batchId, String provider, String bucket, String key,
                     String filename, String contentType, Long expectedSize, Set<UploadTrigger> triggers,
                     String endpointId, String metadata, UploadStatus status, Instant urlExpiresAt,
                     Instant expiresAt, Instant nextCheckAt, int checks, Long observedSize, String observedEtag,
                     Instant lastModified, String failureReason, Instant createdAt, Instant updatedAt,
                     long version) {
    public Upload {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(filename, "filename");
        Objects.requireNonNull(contentType, "contentType");
        triggers = Set.copyOf(triggers);
        Objects.requireNonNull(endpointId, "endpointId");
        metadata = metadata == null ? "{}" : metadata;
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(urlExpiresAt, "urlExpiresAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
