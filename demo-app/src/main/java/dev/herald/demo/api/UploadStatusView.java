package dev.herald.demo.api;

import dev.herald.engine.model.Upload;
import dev.herald.engine.model.UploadStatus;
import dev.herald.engine.model.UploadTrigger;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * An upload as stored, with the deliveries of the event that ended it and their attempts (empty while open).
 *
 * @param expectedSize  the size the object must have, or null for any
 * @param observedSize  the size seen by the last HEAD, or null
 * @param failureReason why it was rejected, or null
 * @param expiresAt     when the presigned URL stops working
 * @param watchExpiresAt when the server stops watching
 * @param deliveries    newest first
 */
@Serdeable
@Schema(name = "UploadStatus")
public record UploadStatusView(String webhookToken, UploadStatus status, @Nullable String batchId, String provider,
                               String bucket, String key, String filename, String contentType,
                               @Nullable Long expectedSize, Set<UploadTrigger> triggers, String endpointId,
                               int checks, @Nullable Long observedSize, @Nullable String observedEtag,
                               @Nullable String failureReason, Instant expiresAt, Instant watchExpiresAt,
                               Instant createdAt, Instant updatedAt, List<DeliveryDetail> deliveries) {

    static UploadStatusView of(Upload u, List<DeliveryDetail> deliveries) {
        return new UploadStatusView(u.id(), u.status(), u.batchId(), u.provider(), u.bucket(), u.key(), u.filename(),
                u.contentType(), u.expectedSize(), u.triggers(), u.endpointId(), u.checks(), u.observedSize(),
                u.observedEtag(), u.failureReason(), u.urlExpiresAt(), u.expiresAt(), u.createdAt(), u.updatedAt(),
                deliveries);
    }
}
