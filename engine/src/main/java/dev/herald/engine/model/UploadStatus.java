package dev.herald.engine.model;

/** Where a watched upload stands; see the life cycle in {@code docs/architecture.md}. */
public enum UploadStatus {
    /** The URL is out; nothing seen yet. */
    AWAITING_UPLOAD,
    /** Confirmed or detected; the object is being checked with a HEAD. */
    VERIFYING,
    /** The object matched; {@code upload.completed} was published. */
    VERIFIED,
    /** The object was missing or did not match; {@code upload.failed} was published. */
    REJECTED,
    /** The watch ran out before the object was seen; {@code upload.expired} was published. */
    EXPIRED;

    /** Whether the upload has ended. */
    public boolean isFinal() {
        return this == VERIFIED || this == REJECTED || this == EXPIRED;
    }
}
