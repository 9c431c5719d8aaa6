package dev.herald.demo.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.demo.error.BadRequestException;
import dev.herald.engine.ErrorCode;
import dev.herald.engine.HeraldException;
import dev.herald.engine.model.UploadTrigger;
import dev.herald.engine.upload.UploadRequest;
import dev.herald.engine.upload.UploadWebhook;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the bodies of the upload routes strictly (see {@link JsonBody}) into engine requests. Stateless.
 */
final class UploadBodies {
    static final Set<String> FILE_FIELDS = Set.of("filename", "contentType", "size", "key", "bucket", "trigger",
            "expiresInSeconds", "metadata");
    private static final Set<String> SIGNED_URL_FIELDS = union(FILE_FIELDS, Set.of("webhook", "endpointId"));
    private static final Set<String> BATCH_FIELDS = Set.of("files", "webhook", "endpointId");
    private static final Set<String> WEBHOOK_FIELDS = Set.of("url", "secret", "metadata");
    private static final Set<String> CONFIRM_FIELDS = Set.of("token", "etag");
    private static final Set<String> NOTIFICATION_FIELDS = Set.of("bucket", "key", "size", "etag");

    private UploadBodies() {
    }

    /** {@code POST /v1/uploads/signed-url}. */
    static UploadRequest signedUrl(String json) {
        JsonBody body = JsonBody.of(json, SIGNED_URL_FIELDS);
        Target target = target(body);
        UploadRequest request = file(body, target.metadata());
        return request.withWebhook(target.webhook());
    }

    /** {@code POST /v1/uploads/batch}: the files and the one webhook. */
    record Batch(List<UploadRequest> files, UploadWebhook webhook) {
    }

    static Batch batch(String json) {
        JsonBody body = JsonBody.of(json, BATCH_FIELDS);
        List<JsonBody> files = body.objects("files", FILE_FIELDS);
        if (files == null || files.isEmpty()) {
            throw new BadRequestException("files is required (an array of 1 or more files)");
        }
        Target target = target(body);
        return new Batch(files.stream().map(f -> file(f, target.metadata())).toList(), target.webhook());
    }

    /** {@code POST /v1/webhooks/confirm}: token (null when absent) and etag. */
    record Confirm(String token, String etag) {
    }

    static Confirm confirm(String json) {
        JsonBody body = JsonBody.of(json, CONFIRM_FIELDS);
        return new Confirm(body.string("token"), body.string("etag"));
    }

    /** {@code POST /v1/uploads/notifications}. */
    record Notification(String bucket, String key, Long size, String etag) {
    }

    static Notification notification(String json) {
        JsonBody body = JsonBody.of(json, NOTIFICATION_FIELDS);
        String bucket = body.string("bucket");
        String key = body.string("key");
        if (bucket == null || bucket.isEmpty()) {
            throw new BadRequestException("bucket is required");
        }
        if (key == null || key.isEmpty()) {
            throw new BadRequestException("key is required");
        }
        return new Notification(bucket, key, body.whole("size"), body.string("etag"));
    }

    private record Target(UploadWebhook webhook, String metadata) {
    }

    private static Target target(JsonBody body) {
        JsonBody webhook = body.object("webhook", WEBHOOK_FIELDS);
        String endpointId = body.string("endpointId");
        if ((webhook == null) == (endpointId == null)) {
            throw new BadRequestException("give exactly one of webhook ({url, secret?, metadata?}) and endpointId");
        }
        if (endpointId != null) {
            return new Target(UploadWebhook.endpoint(endpointId), null);
        }
        String url = webhook.string("url");
        if (url == null) {
            throw new BadRequestException("webhook.url is required");
        }
        String secret = webhook.string("secret");
        return new Target(secret == null ? UploadWebhook.adHoc(url) : UploadWebhook.adHoc(url, secret),
                metadata(webhook));
    }

    private static UploadRequest file(JsonBody f, String defaultMetadata) {
        String filename = f.string("filename");
        String contentType = f.string("contentType");
        if (filename == null) {
            throw new BadRequestException("filename is required");
        }
        if (contentType == null) {
            throw new BadRequestException("contentType is required");
        }
        Long seconds = f.whole("expiresInSeconds");
        if (seconds != null && seconds < 1) {
            // The engine checks the range; a negative number would not even make a Duration it can name.
            throw new HeraldException(ErrorCode.INVALID_UPLOAD, "expiresInSeconds must be positive");
        }
        String metadata = metadata(f);
        return UploadRequest.of(filename, contentType)
                .withExpectedSize(f.whole("size"))
                .withKey(f.string("key"))
                .withBucket(f.string("bucket"))
                .withExpiry(seconds == null ? null : Duration.ofSeconds(seconds), null)
                .withTriggers(triggers(f.string("trigger")))
                .withMetadata(metadata != null ? metadata : defaultMetadata);
    }

    private static String metadata(JsonBody b) {
        JsonNode metadata = b.any("metadata");
        if (metadata == null) {
            return null;
        }
        if (!metadata.isObject()) {
            throw new HeraldException(ErrorCode.INVALID_PAYLOAD, "metadata must be a JSON object");
        }
        return metadata.toString();
    }

    private static UploadTrigger[] triggers(String trigger) {
        if (trigger == null) {
            return new UploadTrigger[0];
        }
        return switch (trigger.toUpperCase(Locale.ROOT)) {
            case "CLIENT_CONFIRM" -> new UploadTrigger[] {UploadTrigger.CLIENT_CONFIRM};
            case "AUTO_DETECT" -> new UploadTrigger[] {UploadTrigger.AUTO_DETECT};
            case "BOTH" -> new UploadTrigger[] {UploadTrigger.CLIENT_CONFIRM, UploadTrigger.AUTO_DETECT};
            default -> throw new BadRequestException("trigger must be CLIENT_CONFIRM, AUTO_DETECT or BOTH");
        };
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new HashSet<>(a);
        out.addAll(b);
        return Set.copyOf(out);
    }
}
