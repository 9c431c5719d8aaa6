package dev.herald.engine.upload;

/**
 * Why a verified-looking upload was refused; the name is stored in {@code Upload.failureReason} and sent as
 * {@code reason} in {@code upload.failed}. Storage trouble is never a rejection: it is retried.
 */
public enum RejectionReason {
    /** The client confirmed, but storage answered that no such object exists. */
    OBJECT_MISSING,
    /** The object's size differs from the expected size, or exceeds the configured maximum. */
    SIZE_MISMATCH,
    /** The object's content type differs from the one signed into the URL. */
    CONTENT_TYPE_MISMATCH,
    /** The ETag the client confirmed with differs from the object's. */
    ETAG_MISMATCH
}
