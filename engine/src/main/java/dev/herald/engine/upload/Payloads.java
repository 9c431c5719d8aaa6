package dev.herald.engine.upload;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.herald.engine.model.Upload;
import dev.herald.engine.model.UploadStatus;
import dev.herald.engine.spi.ObjectHead;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;

/**
 * The data of the events uploads publish. Metadata is spliced in as the exact text the tenant registered
 * ("returned untouched"): it was checked to be one JSON object without duplicate keys when registered.
 */
final class Payloads {
    static final String COMPLETED = "upload.completed";
    static final String FAILED = "upload.failed";
    static final String EXPIRED = "upload.expired";
    static final String BATCH_COMPLETED = "batch.completed";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private Payloads() {
    }

    /** Whether {@code text} is one JSON object (no trailing tokens, no duplicate keys). */
    static boolean isJsonObject(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            return node != null && node.isObject();
        } catch (IOException e) {
            return false;
        }
    }

    static String completed(Upload u, ObjectHead.Found head, URI fileUrl, Instant now) {
        ObjectNode data = JSON.createObjectNode();
        data.put("webhookId", u.id());
        data.put("uploadedAt", String.valueOf(head.lastModified() != null ? head.lastModified() : now));
        ObjectNode file = data.putObject("file");
        file.put("url", fileUrl.toString());
        file.put("filename", u.filename());
        file.put("key", u.key());
        file.put("size", head.size());
        file.put("contentType", head.contentType() != null ? head.contentType() : u.contentType());
        file.put("etag", head.etag());
        file.put("lastModified", head.lastModified() == null ? null : head.lastModified().toString());
        return common(data, u);
    }

    static String failed(Upload u, RejectionReason reason, String message, ObjectHead.Found head, String claimedEtag,
                         URI fileUrl) {
        ObjectNode data = JSON.createObjectNode();
        data.put("webhookId", u.id());
        data.put("reason", reason.name());
        data.put("message", message);
        ObjectNode file = data.putObject("file");
        file.put("url", fileUrl.toString());
        file.put("filename", u.filename());
        file.put("key", u.key());
        if (head != null) {
            file.put("size", head.size());
            file.put("contentType", head.contentType());
            file.put("etag", head.etag());
            file.put("lastModified", head.lastModified() == null ? null : head.lastModified().toString());
        }
        ObjectNode expected = data.putObject("expected");
        if (u.expectedSize() != null) {
            expected.put("size", u.expectedSize());
        }
        expected.put("contentType", u.contentType());
        if (claimedEtag != null) {
            expected.put("etag", claimedEtag);
        }
        return common(data, u);
    }

    static String expired(Upload u, URI fileUrl, Instant now) {
        ObjectNode data = JSON.createObjectNode();
        data.put("webhookId", u.id());
        data.put("expiredAt", now.toString());
        ObjectNode file = data.putObject("file");
        file.put("url", fileUrl.toString());
        file.put("filename", u.filename());
        file.put("key", u.key());
        return common(data, u);
    }

    /** {@code full} adds each upload's file name and key; without them the list stays small for 100 files. */
    static String batchCompleted(String batchId, List<Upload> uploads, Instant now, boolean full) {
        ObjectNode data = JSON.createObjectNode();
        data.put("batchId", batchId);
        data.put("completedAt", now.toString());
        data.put("total", uploads.size());
        data.put("verified", count(uploads, UploadStatus.VERIFIED));
        data.put("rejected", count(uploads, UploadStatus.REJECTED));
        data.put("expired", count(uploads, UploadStatus.EXPIRED));
        ArrayNode list = data.putArray("uploads");
        for (Upload u : uploads) {
            ObjectNode item = list.addObject();
            item.put("webhookId", u.id());
            item.put("status", u.status().name());
            if (full) {
                item.put("filename", u.filename());
                item.put("key", u.key());
            }
            if (u.status() == UploadStatus.VERIFIED) {
                item.put("size", u.observedSize());
                item.put("etag", u.observedEtag());
            }
            if (u.failureReason() != null) {
                item.put("reason", u.failureReason());
            }
        }
        return data.toString();
    }

    private static String common(ObjectNode data, Upload u) {
        data.put("provider", u.provider());
        data.put("bucket", u.bucket());
        if (u.batchId() != null) {
            data.put("batchId", u.batchId());
        }
        data.putRawValue("metadata", new RawValue(u.metadata()));
        return data.toString();
    }

    private static long count(List<Upload> uploads, UploadStatus status) {
        return uploads.stream().filter(u -> u.status() == status).count();
    }

    /** A URL without its query, for logs and {@code toString()}: a presigned query is a credential. */
    static String withoutQuery(URI url) {
        String u = url.toString();
        int q = u.indexOf('?');
        return q < 0 ? u : u.substring(0, q) + "?…";
    }
}
