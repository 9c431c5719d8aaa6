package dev.herald.engine.upload;

import dev.herald.engine.ErrorCode;
import dev.herald.engine.HeraldException;
import dev.herald.engine.model.Delivery;
import dev.herald.engine.model.Ids;
import dev.herald.engine.model.Upload;
import dev.herald.engine.model.UploadStatus;
import dev.herald.engine.model.UploadTrigger;
import dev.herald.engine.spi.DeliveryQuery;
import dev.herald.engine.spi.DeliveryStore;
import dev.herald.engine.spi.ObjectHead;
import dev.herald.engine.spi.ObjectVerifier;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Uploads} over the store: confirm and notifications verify at once on the caller's thread; the
 * poller calls {@link #check(Upload)}. Each path reads the upload, decides with {@link Decisions} and
 * writes with {@link Transitions}; a write that loses a race reads again and decides again, a few times
 * at most. Thread-safe.
 */
final class DefaultUploads implements Uploads {
    private static final Logger log = LoggerFactory.getLogger(DefaultUploads.class);
    /** Rounds of read-decide-write before a caller gives up to whoever keeps winning. */
    private static final int MAX_ROUNDS = 5;
    private static final int MAX_TOKEN = 64;

    private final UploadHost host;
    private final DeliveryStore store;
    private final ObjectVerifier verifier;
    private final Decisions decisions;
    private final Transitions transitions;
    private final Registrar registrar;

    DefaultUploads(UploadHost host, UploadSettings settings) {
        this.host = host;
        this.store = host.store();
        this.verifier = settings.verifier();
        this.decisions = Decisions.of(settings);
        this.transitions = new Transitions(host, settings.signer());
        this.registrar = new Registrar(host, settings, decisions);
    }

    @Override
    public RegisteredUpload register(String tenant, UploadRequest request) {
        return registrar.register(tenant, request);
    }

    @Override
    public RegisteredBatch registerBatch(String tenant, List<UploadRequest> requests, UploadWebhook webhook) {
        return registrar.registerBatch(tenant, requests, webhook);
    }

    @Override
    public ConfirmResult confirm(String tenant, String token, String etag) {
        Upload u = find(tenant, token);
        String claim = StorageRules.normaliseEtag(etag);
        String problem = StorageRules.checkEtag(claim);
        if (problem != null) {
            // Checked before the claim is written down with the upload while it is verified.
            throw new HeraldException(ErrorCode.INVALID_UPLOAD, problem);
        }
        return Registrar.guarded(() -> confirm(u, claim));
    }

    private ConfirmResult confirm(Upload start, String claim) {
        Upload u = start;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Instant now = host.clock().instant();
            switch (u.status()) {
                case VERIFIED:
                    return new ConfirmResult.Verified(u, true);
                case REJECTED:
                    return new ConfirmResult.Rejected(u, RejectionReason.valueOf(u.failureReason()));
                case EXPIRED:
                    throw expired(u);
                default:
                    break;
            }
            if (!now.isBefore(u.expiresAt())) {
                Upload expired = transitions.apply(u, new Decisions.Step.Expire(), now);
                if (expired != null) {
                    throw expired(expired);
                }
                u = reload(u);
                continue;
            }
            // Durable first: a crash during the HEAD leaves a VERIFYING upload the poller finishes.
            String keptClaim = claim != null ? claim : u.status() == UploadStatus.VERIFYING ? u.observedEtag() : null;
            if (u.status() != UploadStatus.VERIFYING || !Objects.equals(keptClaim, u.observedEtag())) {
                Upload verifying = transitions.markVerifying(u, keptClaim,
                        Decisions.cap(now.plus(decisions.retryDelay(0)), u.expiresAt()), now);
                if (verifying == null) {
                    u = reload(u);
                    continue;
                }
                u = verifying;
            }
            ObjectHead head = verifier.head(u.bucket(), u.key());
            Decisions.Step step = decisions.afterHead(u, head, null, host.clock().instant());
            Upload next = transitions.apply(u, step, host.clock().instant());
            if (next == null) {
                u = reload(u);
                continue;
            }
            if (step instanceof Decisions.Step.Complete) {
                return new ConfirmResult.Verified(next, false);
            }
            if (step instanceof Decisions.Step.Reject r) {
                return new ConfirmResult.Rejected(next, r.reason());
            }
            if (step instanceof Decisions.Step.Expire) {
                throw expired(next);
            }
            String note = step instanceof Decisions.Step.Watch w ? w.note() : null;
            return new ConfirmResult.Pending(next, next.nextCheckAt(), note);
        }
        // Others kept changing the upload under us; they are verifying it, and the poller backs them up.
        return new ConfirmResult.Pending(u, u.nextCheckAt(), "being verified by another trigger");
    }

    @Override
    public void objectCreated(String bucket, String key, Long size, String etag) {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        List<Upload> watching = Registrar.guarded(() -> store.uploadsOf(bucket, key)).stream()
                .filter(u -> u.status() == UploadStatus.VERIFYING || u.triggers().contains(UploadTrigger.AUTO_DETECT))
                .toList();
        if (watching.isEmpty()) {
            log.debug("Notification for {}/{}: no upload is watching it", bucket, key);
            return;
        }
        ObjectHead head = verifier.head(bucket, key);
        Decisions.Notified notified = new Decisions.Notified(size, etag);
        for (Upload u : watching) {
            Registrar.guarded(() -> advance(u, head, notified));
        }
    }

    /** One poller look at a due upload; the HEAD is made only when the upload needs one. */
    void check(Upload due) {
        Instant now = host.clock().instant();
        Decisions.Step step = decisions.withoutHead(due, now);
        if (step != null) {
            transitions.apply(due, step, now);
            return;
        }
        advance(due, verifier.head(due.bucket(), due.key()), null);
    }

    /**
     * Applies one storage answer to an upload, reading it again after a lost race. The answer stays valid
     * across rounds: it is at most a few milliseconds older than the state it is applied to.
     */
    private Void advance(Upload start, ObjectHead head, Decisions.Notified notified) {
        Upload u = start;
        for (int round = 0; round < MAX_ROUNDS && u != null && !u.status().isFinal(); round++) {
            Decisions.Step step = decisions.afterHead(u, head, notified, host.clock().instant());
            if (transitions.apply(u, step, host.clock().instant()) != null) {
                return null;
            }
            u = store.findUpload(u.id()).orElse(null);
        }
        return null;
    }

    @Override
    public Upload status(String tenant, String token) {
        return find(tenant, token);
    }

    @Override
    public List<Delivery> deliveries(String tenant, String token) {
        Upload u = find(tenant, token);
        if (!u.status().isFinal()) {
            return List.of();
        }
        String eventId = Transitions.eventId(u.id(), Ids.UPLOAD);
        return Registrar.guarded(() -> store.listDeliveries(new DeliveryQuery(tenant, null, eventId, null, null, 100)))
                .items();
    }

    @Override
    public List<Upload> batch(String tenant, String batchId) {
        host.checkTenant(tenant);
        if (batchId == null || !Ids.isValid(Ids.BATCH, batchId)) {
            return List.of();
        }
        return Registrar.guarded(() -> store.uploadsOfBatch(tenant, batchId));
    }

    private Upload find(String tenant, String token) {
        host.checkTenant(tenant);
        if (token == null || token.isBlank()) {
            throw new HeraldException(ErrorCode.MISSING_WEBHOOK_TOKEN, "a webhook token is required");
        }
        if (token.length() > MAX_TOKEN || !Ids.isValid(Ids.UPLOAD, token)) {
            throw notFound();
        }
        Optional<Upload> found = Registrar.guarded(() -> store.findUpload(token));
        return found.filter(u -> u.tenant().equals(tenant)).orElseThrow(DefaultUploads::notFound);
    }

    private Upload reload(Upload u) {
        return store.findUpload(u.id()).orElseThrow(DefaultUploads::notFound);
    }

    private static HeraldException notFound() {
        // One message for unknown and foreign tokens alike: a caller cannot probe other tenants' tokens.
        return new HeraldException(ErrorCode.UPLOAD_NOT_FOUND, "no upload with this webhook token");
    }

    private static HeraldException expired(Upload u) {
        return new HeraldException(ErrorCode.UPLOAD_EXPIRED, "the upload expired at " + u.expiresAt());
    }
}
