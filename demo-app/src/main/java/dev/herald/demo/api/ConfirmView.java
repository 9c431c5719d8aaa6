package dev.herald.demo.api;

import dev.herald.engine.model.UploadStatus;
import dev.herald.engine.upload.ConfirmResult;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/**
 * What a confirm found.
 *
 * @param status          the upload's state after the confirm: VERIFIED, REJECTED or VERIFYING
 * @param alreadyVerified true when an earlier confirm, poll or notification verified it (nothing new was sent)
 * @param reason          why it was rejected (OBJECT_MISSING, SIZE_MISMATCH, ...), or what storage answered
 *                        while VERIFYING; null when verified
 * @param nextCheckAt     while VERIFYING, when storage is asked again; else null
 * @param size            the object's size as seen by the HEAD, or null
 * @param etag            the object's ETag as seen by the HEAD, or null
 */
@Serdeable
@Schema(name = "ConfirmResult")
public record ConfirmView(String webhookToken, UploadStatus status, boolean alreadyVerified, @Nullable String reason,
                          @Nullable Instant nextCheckAt, @Nullable Long size, @Nullable String etag) {

    static ConfirmView of(ConfirmResult result) {
        var u = result.upload();
        if (result instanceof ConfirmResult.Verified v) {
            return new ConfirmView(u.id(), u.status(), v.alreadyVerified(), null, null, u.observedSize(),
                    u.observedEtag());
        }
        if (result instanceof ConfirmResult.Rejected r) {
            return new ConfirmView(u.id(), u.status(), false, r.reason().name(), null, u.observedSize(),
                    u.observedEtag());
        }
        ConfirmResult.Pending p = (ConfirmResult.Pending) result;
        return new ConfirmView(u.id(), u.status(), false, p.reason(), p.nextCheckAt(), u.observedSize(),
                u.observedEtag());
    }
}
