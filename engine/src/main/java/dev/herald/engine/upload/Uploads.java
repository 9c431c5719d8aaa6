package dev.herald.engine.upload;

import dev.herald.engine.ErrorCode;
import dev.herald.engine.HeraldException;
import dev.herald.engine.model.Delivery;
import dev.herald.engine.model.Upload;
import java.util.List;

/**
 * Direct-to-storage uploads with a webhook when the file has landed: register an upload and hand the client
 * a presigned URL; the engine learns of completion from the client's confirm, from its own polling, or from
 * a bucket notification the host passes on; it verifies the object with a HEAD and publishes exactly one
 * {@code upload.completed} per object version to the upload's webhook ({@code upload.failed} or
 * {@code upload.expired} otherwise). Reached through {@code Herald.uploads()}.
 *
 * <p>Every method is thread-safe and tenant-scoped: a token of another tenant is reported as not found.
 * Refused input throws {@link HeraldException} with an {@link ErrorCode}, and nothing is stored then. A
 * store that cannot be reached throws {@link ErrorCode#STORE_UNAVAILABLE}.
 */
public interface Uploads {

    /** Most files in one {@link #registerBatch} call. */
    int MAX_BATCH = 100;

    /**
     * Registers an upload: checks the request, makes the presigned URL, stores the upload (and its ad-hoc
     * webhook) before returning.
     *
     * @throws HeraldException {@link ErrorCode#INVALID_UPLOAD} for a bad file name, key, bucket, content
     *                         type, size or expiry, or a missing webhook; {@link ErrorCode#INVALID_PAYLOAD} or
     *                         {@link ErrorCode#PAYLOAD_TOO_LARGE} for metadata that is not a JSON object or
     *                         too large; {@link ErrorCode#ENDPOINT_NOT_FOUND}, {@link ErrorCode#INVALID_URL},
     *                         {@link ErrorCode#BLOCKED_URL}, {@link ErrorCode#INVALID_SECRET} for the webhook
     */
    RegisteredUpload register(String tenant, UploadRequest request);

    /**
     * Registers up to {@value #MAX_BATCH} uploads at once, all or none, under one batch id and one webhook.
     * When every upload of the batch has ended (verified, rejected or expired), one {@code batch.completed}
     * lists them. The requests must not name a webhook of their own.
     *
     * @throws HeraldException as {@link #register}; {@link ErrorCode#INVALID_UPLOAD} also for an empty or
     *                         too large batch, or two files with the same key
     */
    RegisteredBatch registerBatch(String tenant, List<UploadRequest> requests, UploadWebhook webhook);

    /**
     * The client says the upload is done. Verifies the object with one HEAD, at once:
     * <ul>
     *   <li>the object matches: {@link ConfirmResult.Verified}, {@code upload.completed} published;</li>
     *   <li>already verified: {@link ConfirmResult.Verified} with {@code alreadyVerified}, nothing published;</li>
     *   <li>missing or not matching (now or before): {@link ConfirmResult.Rejected}, {@code upload.failed}
     *       published once;</li>
     *   <li>storage could not answer: {@link ConfirmResult.Pending}; the upload stays {@code VERIFYING} and the
     *       poller asks again with backoff, never reporting the storage error as a failure.</li>
     * </ul>
     * A confirm is accepted whatever the upload's triggers: it only makes the engine look now.
     *
     * @param etag the ETag the client got from storage, or null; when given, the object's must match
     * @throws HeraldException {@link ErrorCode#MISSING_WEBHOOK_TOKEN} for a null or blank token,
     *                         {@link ErrorCode#UPLOAD_NOT_FOUND} for an unknown token or one of another tenant,
     *                         {@link ErrorCode#INVALID_UPLOAD} for an etag that is not an entity tag of at most
     *                         256 characters, {@link ErrorCode#UPLOAD_EXPIRED} once the watch has run out
     */
    ConfirmResult confirm(String tenant, String token, String etag);

    /**
     * A bucket notification the host received (an S3 event notification, an R2 queue message): an object
     * was created. Looks at the object once and advances every unfinished upload watching it that wants
     * {@code AUTO_DETECT} (or is waiting for storage after a confirm). When the notification's size and ETag
     * agree with the HEAD, that counts as two agreeing looks and completes the upload at once. Unknown
     * objects are ignored. Storage trouble leaves the uploads to the poller.
     *
     * @param size the object's size from the notification, or null
     * @param etag the object's ETag from the notification, or null
     * @throws NullPointerException if {@code bucket} or {@code key} is null
     */
    void objectCreated(String bucket, String key, Long size, String etag);

    /**
     * The upload as stored.
     *
     * @throws HeraldException {@link ErrorCode#MISSING_WEBHOOK_TOKEN}, {@link ErrorCode#UPLOAD_NOT_FOUND}
     */
    Upload status(String tenant, String token);

    /**
     * The deliveries of the event that ended the upload ({@code upload.completed}, {@code upload.failed} or
     * {@code upload.expired}), newest first; empty while the upload is open. Their attempts are
     * {@code Herald.attempts(tenant, deliveryId)}.
     *
     * @throws HeraldException {@link ErrorCode#MISSING_WEBHOOK_TOKEN}, {@link ErrorCode#UPLOAD_NOT_FOUND}
     */
    List<Delivery> deliveries(String tenant, String token);

    /**
     * The uploads of a batch, in id order; empty for an unknown batch or one of another tenant.
     *
     * @throws HeraldException {@link ErrorCode#INVALID_ARGUMENT} for a malformed tenant
     */
    List<Upload> batch(String tenant, String batchId);
}
