package dev.herald.engine.upload;

import java.util.List;
import java.util.Objects;

/**
 * What {@link Uploads#registerBatch} gives back.
 *
 * @param batchId       {@code batch_…}; {@code batch.completed} names it
 * @param uploads       one registered upload per requested file, in request order
 * @param endpointId    the endpoint every event of the batch goes to
 * @param webhookSecret the generated secret of an ad-hoc webhook registered without one, shown only here;
 *                      null otherwise. {@link #toString()} hides it
 */
public record RegisteredBatch(String batchId, List<RegisteredUpload> uploads, String endpointId,
                              String webhookSecret) {
    public RegisteredBatch {
        Objects.requireNonNull(batchId, "batchId");
        uploads = List.copyOf(uploads);
    }

    @Override
    public String toString() {
        return "RegisteredBatch[batchId=" + batchId + ", uploads=" + uploads.size() + ", endpointId=" + endpointId
                + ", webhookSecret=" + (webhookSecret == null ? "none" : "***") + "]";
    }
}
