package dev.herald.engine;

/**
 * Machine-readable reason of a {@link HeraldException}. Hosts map these to their own responses;
 * {@code demo-app} maps them to HTTP statuses. The names are stable API.
 */
public enum ErrorCode {
    /** The endpoint URL is malformed, not absolute, or uses a scheme other than http(s). */
    INVALID_URL,
    /** The endpoint URL points at an address the URL policy blocks (loopback, private, metadata, ...). */
    BLOCKED_URL,
    /** An event type or filter entry is malformed or not in the engine's event catalogue. */
    INVALID_EVENT_TYPE,
    /** A payload is empty, not a JSON object, or otherwise not acceptable. */
    INVALID_PAYLOAD,
    /** A payload or field is larger than the configured limit. */
    PAYLOAD_TOO_LARGE,
    /** A signing secret is malformed (bad {@code whsec_} base64, too short or too long). */
    INVALID_SECRET,
    /** A field other than the ones above is invalid: a header name, a limit, a description. */
    INVALID_ARGUMENT,
    /** No endpoint with that id in the tenant. */
    ENDPOINT_NOT_FOUND,
    /** No event with that id in the tenant. */
    EVENT_NOT_FOUND,
    /** No delivery with that id in the tenant. */
    DELIVERY_NOT_FOUND,
    /** The delivery is neither FAILED nor DEAD, so it cannot be replayed. */
    NOT_REPLAYABLE,
    /** The store could not be reached or refused the write; nothing was stored. */
    STORE_UNAVAILABLE,
    /**
     * An upload registration is refused: a malformed or unsafe key, a content type or size outside the
     * configured limits, an expiry out of range, a batch too large. Over HTTP: 400.
     */
    INVALID_UPLOAD,
    /** A confirm or status call came without a webhook token. Over HTTP: 400 {@code MISSING_WEBHOOK_TOKEN}. */
    MISSING_WEBHOOK_TOKEN,
    /** No upload with that token in the tenant. Over HTTP: 404 {@code WEBHOOK_NOT_FOUND}. */
    UPLOAD_NOT_FOUND,
    /** The upload's watch has run out; it can no longer be confirmed. Over HTTP: 410 {@code WEBHOOK_EXPIRED}. */
    UPLOAD_EXPIRED
}
