package dev.herald.demo.api;

import dev.herald.engine.upload.RegisteredBatch;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * A registered batch: one signed upload per file, in request order, all announced to one webhook.
 *
 * @param webhookSecret the generated secret of an ad-hoc webhook given without one; shown only here, else null
 */
@Serdeable
@Schema(name = "UploadBatch")
public record BatchView(String batchId, List<SignedUploadView> uploads, String endpointId,
                        @Nullable String webhookSecret) {

    static BatchView of(RegisteredBatch b) {
        return new BatchView(b.batchId(), b.uploads().stream().map(SignedUploadView::of).toList(), b.endpointId(),
                b.webhookSecret());
    }

    @Override
    public String toString() {
        return "BatchView[batchId=" + batchId + ", uploads=" + uploads.size() + ", webhookSecret="
                + (webhookSecret == null ? "none" : "***") + "]";
    }
}
