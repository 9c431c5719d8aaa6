package dev.herald.engine.upload;

import dev.herald.engine.ErrorCode;
import dev.herald.engine.HeraldException;
import dev.herald.engine.model.Ids;
import dev.herald.engine.model.Upload;
import dev.herald.engine.model.UploadStatus;
import dev.herald.engine.spi.DeliveryStore;
import dev.herald.engine.spi.ObjectHead;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what {@link Decisions} decided. Every write is conditional on the upload's version, so when two
 * triggers (confirm, poller, notification, another instance) race, one write lands and the others are
 * told to look again. A final state and the event announcing it are one store transaction
 * ({@link UploadHost#publishWithUpload}), deduplicated by the event's idempotency key:
 * {@code upload.completed:<bucket>/<key>#<etag>} makes {@code upload.completed} one per object version,
 * whichever path gets there. Thread-safe.
 */
final class Transitions {
    private static final Logger log = LoggerFactory.getLogger(Transitions.class);
    /** Longest idempotency key the engine accepts. */
    static final int MAX_IDEMPOTENCY_KEY = 256;

    private final UploadHost host;
    private final DeliveryStore store;
    private final UploadUrlSigner signer;

    Transitions(UploadHost host, UploadUrlSigner signer) {
        this.host = host;
        this.store = host.store();
        this.signer = signer;
    }

    /**
     * Applies {@code step} to {@code current}.
     *
     * @return the upload as now stored, or null when someone else changed it first (read it again)
     */
    Upload apply(Upload current, Decisions.Step step, Instant now) {
        if (step instanceof Decisions.Step.Leave) {
            return current;
        }
        if (step instanceof Decisions.Step.Watch w) {
            Upload next = change(current, w.status(), w.nextCheckAt(), current.checks() + (w.headed() ? 1 : 0),
                    w.observedSize(), w.observedEtag(), w.lastModified(), null, now);
            return store.updateUpload(next) ? next : null;
        }
        if (step instanceof Decisions.Step.Complete c) {
            ObjectHead.Found f = c.head();
            Upload next = change(current, UploadStatus.VERIFIED, null, current.checks() + 1, f.size(), f.etag(),
                    f.lastModified(), null, now);
            String data = Payloads.completed(next, f, signer.publicUrl(next.bucket(), next.key()), now);
            return publishFinal(current, next, Payloads.COMPLETED, data,
                    completedKey(next.bucket(), next.key(), f.etag()));
        }
        if (step instanceof Decisions.Step.Reject r) {
            ObjectHead.Found f = r.head();
            Upload next = change(current, UploadStatus.REJECTED, null, current.checks() + 1,
                    f == null ? null : f.size(), f == null ? null : f.etag(), f == null ? null : f.lastModified(),
                    r.reason().name(), now);
            String claimed = current.status() == UploadStatus.VERIFYING ? current.observedEtag() : null;
            String data = Payloads.failed(next, r.reason(), r.message(), f, claimed,
                    signer.publicUrl(next.bucket(), next.key()));
            return publishFinal(current, next, Payloads.FAILED, data, Payloads.FAILED + ":" + next.id());
        }
        Upload next = change(current, UploadStatus.EXPIRED, null, current.checks(), current.observedSize(),
                current.observedEtag(), current.lastModified(), null, now);
        String data = Payloads.expired(next, signer.publicUrl(next.bucket(), next.key()), now);
        return publishFinal(current, next, Payloads.EXPIRED, data, Payloads.EXPIRED + ":" + next.id());
    }

    /** Moves an open upload to VERIFYING for a confirm, keeping the client's ETag claim there. */
    Upload markVerifying(Upload current, String claimedEtag, Instant nextCheckAt, Instant now) {
        Upload next = change(current, UploadStatus.VERIFYING, nextCheckAt, current.checks(), null, claimedEtag,
                current.lastModified(), null, now);
        return store.updateUpload(next) ? next : null;
    }

    private Upload publishFinal(Upload current, Upload next, String type, String data, String idempotencyKey) {
        if (host.publishWithUpload(next, eventId(next.id(), Ids.UPLOAD), type, data, idempotencyKey)) {
            log.debug("Upload {} is {}", next.id(), next.status());
            afterFinalSafely(next);
            return next;
        }
        Upload stored = store.findUpload(next.id()).orElse(null);
        if (stored != null && stored.version() == current.version()) {
            // Nobody changed the upload, so the idempotency key was spent: another upload of this tenant
            // announced this very object version. End this one quietly rather than announce it twice.
            if (store.updateUpload(next)) {
                log.info("Upload {} is {}; its object version was already announced, so no {} is sent", next.id(),
                        next.status(), type);
                afterFinalSafely(next);
                return next;
            }
        }
        return null;
    }

    /** The upload's end is stored whatever happens to its batch's announcement; only log that. */
    private void afterFinalSafely(Upload done) {
        try {
            afterFinal(done);
        } catch (RuntimeException e) {
            log.warn("batch.completed of batch {} could not be published: {}", done.batchId(), e.toString());
        }
    }

    /**
     * Publishes {@code batch.completed} once every upload of the batch has ended. Two uploads ending at the
     * same time both look; at least the later look sees both ends, and the idempotency key
     * {@code batch.completed:<batchId>} keeps the other from publishing twice.
     */
    private void afterFinal(Upload done) {
        if (done.batchId() == null) {
            return;
        }
        List<Upload> batch = store.uploadsOfBatch(done.tenant(), done.batchId());
        if (batch.isEmpty() || !batch.stream().allMatch(u -> u.status().isFinal())) {
            return;
        }
        Instant now = host.clock().instant();
        try {
            publishBatch(done, batch, Payloads.batchCompleted(done.batchId(), batch, now, true));
        } catch (HeraldException e) {
            if (e.code() != ErrorCode.PAYLOAD_TOO_LARGE) {
                throw e;
            }
            // A hundred long keys and names can outgrow a host's lowered payload limit; send the lean list.
            publishBatch(done, batch, Payloads.batchCompleted(done.batchId(), batch, now, false));
        }
    }

    private void publishBatch(Upload done, List<Upload> batch, String data) {
        if (host.publishTo(done.tenant(), done.endpointId(), eventId(done.batchId(), Ids.BATCH),
                Payloads.BATCH_COMPLETED, data, Payloads.BATCH_COMPLETED + ":" + done.batchId())) {
            log.debug("Batch {} completed with {} uploads", done.batchId(), batch.size());
        }
    }

    /**
     * {@code upload.completed:<bucket>/<key>#<etag>}, the dedup key of one object version. Keys may be 1024
     * bytes but idempotency keys only {@value #MAX_IDEMPOTENCY_KEY} characters, so a longer one is replaced by
     * its SHA-256, {@code upload.completed:sha256:<hex>}: still one per object version.
     */
    static String completedKey(String bucket, String key, String etag) {
        String version = bucket + "/" + key + "#" + StorageRules.normaliseEtag(etag);
        String plain = Payloads.COMPLETED + ":" + version;
        if (plain.length() <= MAX_IDEMPOTENCY_KEY) {
            return plain;
        }
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(version.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return Payloads.COMPLETED + ":sha256:" + java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * The id of the event that ends an upload or batch: {@code evt_} with the token's own 26 characters. An
     * upload ends once, so the id is unique, and its deliveries can be found from the token alone.
     */
    static String eventId(String id, String prefix) {
        return Ids.EVENT + id.substring(prefix.length());
    }

    static Upload change(Upload u, UploadStatus status, Instant nextCheckAt, int checks, Long observedSize,
                         String observedEtag, Instant lastModified, String failureReason, Instant now) {
        return new Upload(u.id(), u.tenant(), u.batchId(), u.provider(), u.bucket(), u.key(), u.filename(),
                u.contentType(), u.expectedSize(), u.triggers(), u.endpointId(), u.metadata(), status, u.urlExpiresAt(),
                u.expiresAt(), nextCheckAt, checks, observedSize, observedEtag, lastModified, failureReason,
                u.createdAt(), now, u.version() + 1);
    }
}
