package dev.herald.engine.upload;

import dev.herald.engine.ErrorCode;
import dev.herald.engine.HeraldException;
import dev.herald.engine.model.Endpoint;
import dev.herald.engine.model.Ids;
import dev.herald.engine.model.Upload;
import dev.herald.engine.model.UploadStatus;
import dev.herald.engine.model.UploadTrigger;
import dev.herald.engine.spi.StoreException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Registers uploads: checks every field, makes the presigned URLs, then stores the ad-hoc endpoint (if any)
 * and the uploads. Everything that can be refused is refused before the first write, so a refusal leaves
 * nothing behind; a store failure after the endpoint was written deletes it again. Thread-safe.
 */
final class Registrar {
    private static final String NO_ENDPOINT_YET = "-";

    private final UploadHost host;
    private final UploadSettings settings;
    private final Decisions decisions;

    Registrar(UploadHost host, UploadSettings settings, Decisions decisions) {
        this.host = host;
        this.settings = settings;
        this.decisions = decisions;
    }

    /** One checked upload with its URL, not stored yet. */
    private record Prepared(Upload upload, PresignedUpload put) {
        RegisteredUpload registered(Endpoint endpoint, String generatedSecret, UploadUrlSigner signer) {
            return new RegisteredUpload(upload.id(), upload.batchId(), upload.provider(), upload.bucket(), upload.key(),
                    put, signer.publicUrl(upload.bucket(), upload.key()), upload.urlExpiresAt(), upload.expiresAt(),
                    endpoint.id(), generatedSecret);
        }
    }

    /** Where events go; {@code fresh} when it is an ad-hoc endpoint still to be stored. */
    private record Target(Endpoint endpoint, boolean fresh, String generatedSecret) {
    }

    RegisteredUpload register(String tenant, UploadRequest request) {
        host.checkTenant(tenant);
        Objects.requireNonNull(request, "request");
        if (request.webhook() == null) {
            throw invalid("a webhook is required: an endpoint id or an ad-hoc URL");
        }
        Instant now = host.clock().instant();
        Prepared p = prepare(tenant, request, null, now);
        Target target = target(tenant, request.webhook(), now);
        store(target, List.of(withEndpoint(p.upload(), target.endpoint().id())));
        return p.registered(target.endpoint(), target.generatedSecret(), settings.signer());
    }

    RegisteredBatch registerBatch(String tenant, List<UploadRequest> requests, UploadWebhook webhook) {
        host.checkTenant(tenant);
        Objects.requireNonNull(requests, "requests");
        if (requests.isEmpty() || requests.size() > Uploads.MAX_BATCH) {
            throw invalid("a batch must have 1 to " + Uploads.MAX_BATCH + " files, had " + requests.size());
        }
        if (webhook == null) {
            throw invalid("a webhook is required: an endpoint id or an ad-hoc URL");
        }
        Instant now = host.clock().instant();
        String batchId = host.ids().next(Ids.BATCH);
        List<Prepared> prepared = new ArrayList<>(requests.size());
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < requests.size(); i++) {
            UploadRequest r = Objects.requireNonNull(requests.get(i), "requests[" + i + "]");
            try {
                if (r.webhook() != null) {
                    throw invalid("a file of a batch must not name its own webhook; the batch's goes for all");
                }
                Prepared p = prepare(tenant, r, batchId, now);
                if (!keys.add(p.upload().bucket() + "/" + p.upload().key())) {
                    throw invalid("two files of the batch have the key " + p.upload().key());
                }
                prepared.add(p);
            } catch (HeraldException e) {
                throw new HeraldException(e.code(), "file " + i + ": " + e.getMessage());
            }
        }
        Target target = target(tenant, webhook, now);
        store(target, prepared.stream().map(p -> withEndpoint(p.upload(), target.endpoint().id())).toList());
        return new RegisteredBatch(batchId, prepared.stream()
                .map(p -> p.registered(target.endpoint(), target.generatedSecret(), settings.signer())).toList(),
                target.endpoint().id(), target.generatedSecret());
    }

    private Prepared prepare(String tenant, UploadRequest r, String batchId, Instant now) {
        check(StorageRules.checkFilename(r.filename()));
        check(StorageRules.checkMediaType(r.contentType()));
        if (!StorageRules.allowed(settings.allowedContentTypes(), r.contentType())) {
            throw invalid("content type " + StorageRules.essence(r.contentType()) + " is not allowed; allowed: "
                    + settings.allowedContentTypes());
        }
        Long size = r.expectedSize();
        if (size != null && (size < 0 || size > settings.maxSize())) {
            throw invalid("expectedSize must be within [0, " + settings.maxSize() + "] bytes, was " + size);
        }
        String bucket = r.bucket() != null ? r.bucket() : settings.defaultBucket()
                .orElseThrow(() -> invalid("no bucket given and no default bucket configured"));
        check(StorageRules.checkBucket(bucket));
        Duration urlExpiry = r.urlExpiry() != null ? r.urlExpiry() : settings.urlExpiry();
        checkExpiry("urlExpiry", urlExpiry);
        Duration watchExpiry;
        if (r.watchExpiry() != null) {
            watchExpiry = r.watchExpiry();
            checkExpiry("watchExpiry", watchExpiry);
            if (watchExpiry.compareTo(urlExpiry) < 0) {
                throw invalid("watchExpiry (" + watchExpiry + ") must not be shorter than urlExpiry (" + urlExpiry + ")");
            }
        } else {
            watchExpiry = settings.watchExpiry().compareTo(urlExpiry) < 0 ? urlExpiry : settings.watchExpiry();
        }
        String metadata = metadata(r.metadata());
        String token = host.ids().next(Ids.UPLOAD);
        String key = r.key() != null ? chosenKey(r.key()) : StorageRules.generatedKey(settings.keyPrefix(), token,
                r.filename());
        Set<UploadTrigger> triggers = r.triggers().isEmpty() ? Set.of(UploadTrigger.CLIENT_CONFIRM) : r.triggers();
        PresignedUpload put;
        try {
            put = settings.signer().presignPut(bucket, key, r.contentType(), size, urlExpiry);
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
        if (r.key() != null && guarded(() -> !host.store().uploadsOf(bucket, key).isEmpty())) {
            // Two open uploads of one object would share one upload.completed; and a tenant must not be
            // handed a URL that overwrites an object another upload is watching.
            throw invalid("another unfinished upload is watching key " + key);
        }
        Instant urlExpiresAt = now.plus(urlExpiry);
        Instant expiresAt = now.plus(watchExpiry);
        Upload upload = new Upload(token, tenant, batchId, settings.signer().provider(), bucket, key, r.filename(),
                r.contentType(), size, triggers, NO_ENDPOINT_YET, metadata, UploadStatus.AWAITING_UPLOAD, urlExpiresAt,
                expiresAt, decisions.firstCheck(triggers, now, expiresAt), 0, null, null, null, null, now, now, 0);
        return new Prepared(upload, put);
    }

    private static Upload withEndpoint(Upload u, String endpointId) {
        return new Upload(u.id(), u.tenant(), u.batchId(), u.provider(), u.bucket(), u.key(), u.filename(),
                u.contentType(), u.expectedSize(), u.triggers(), endpointId, u.metadata(), u.status(), u.urlExpiresAt(),
                u.expiresAt(), u.nextCheckAt(), u.checks(), u.observedSize(), u.observedEtag(), u.lastModified(),
                u.failureReason(), u.createdAt(), u.updatedAt(), u.version());
    }

    private String chosenKey(String key) {
        check(StorageRules.checkKey(key));
        if (key.startsWith(settings.keyPrefix() + Ids.UPLOAD)) {
            throw invalid("key must not start with " + settings.keyPrefix() + Ids.UPLOAD
                    + ", where generated keys live");
        }
        return key;
    }

    private String metadata(String metadata) {
        if (metadata == null) {
            return "{}";
        }
        int bytes = metadata.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > settings.maxMetadataBytes()) {
            throw new HeraldException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "metadata has " + bytes + " bytes, more than the limit of " + settings.maxMetadataBytes());
        }
        if (!Payloads.isJsonObject(metadata)) {
            throw new HeraldException(ErrorCode.INVALID_PAYLOAD,
                    "metadata must be one JSON object without duplicate keys");
        }
        return metadata;
    }

    private Target target(String tenant, UploadWebhook webhook, Instant now) {
        if (webhook instanceof UploadWebhook.Registered r) {
            return new Target(host.endpoint(tenant, r.endpointId()), false, null);
        }
        UploadWebhook.AdHoc adHoc = (UploadWebhook.AdHoc) webhook;
        Endpoint endpoint = host.adHocEndpoint(tenant, adHoc.url(), adHoc.secret());
        return new Target(endpoint, true, adHoc.secret() == null ? endpoint.secrets().get(0).value() : null);
    }

    private void store(Target target, List<Upload> uploads) {
        if (target.fresh()) {
            guarded(() -> {
                host.insertEndpoint(target.endpoint());
                return null;
            });
        }
        try {
            host.store().insertUploads(uploads);
        } catch (StoreException e) {
            if (target.fresh()) {
                try {
                    host.deleteEndpoint(target.endpoint());
                } catch (RuntimeException ignored) {
                    // An orphaned ad-hoc endpoint receives nothing; the store failure is what to report.
                }
            }
            throw new HeraldException(ErrorCode.STORE_UNAVAILABLE, "the store is unavailable; nothing was stored", e);
        }
    }

    private static void checkExpiry(String name, Duration expiry) {
        if (expiry.compareTo(UploadSettings.MIN_EXPIRY) < 0 || expiry.compareTo(UploadSettings.MAX_EXPIRY) > 0) {
            throw invalid(name + " must be within [" + UploadSettings.MIN_EXPIRY + ", " + UploadSettings.MAX_EXPIRY
                    + "], was " + expiry);
        }
    }

    private static void check(String error) {
        if (error != null) {
            throw invalid(error);
        }
    }

    static HeraldException invalid(String message) {
        return new HeraldException(ErrorCode.INVALID_UPLOAD, message);
    }

    static <T> T guarded(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (StoreException e) {
            throw new HeraldException(ErrorCode.STORE_UNAVAILABLE, "the store is unavailable", e);
        }
    }
}
