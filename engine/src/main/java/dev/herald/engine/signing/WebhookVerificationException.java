package dev.herald.engine.signing;

import java.util.Objects;

/**
 * A webhook request failed verification. The message says why in a few words and never holds a
 * secret or a signature; a receiver answers it with 401 and should not echo more than {@link #reason()}.
 */
public final class WebhookVerificationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why verification failed. */
    public enum Reason {
        /** No signature header, or Standard Webhooks headers without id or timestamp. */
        MISSING_HEADERS,
        /** {@code webhook-timestamp} is not a number of Unix seconds. */
        INVALID_TIMESTAMP,
        /** {@code webhook-timestamp} is further in the past than the tolerance: possibly a replay. */
        TIMESTAMP_TOO_OLD,
        /** {@code webhook-timestamp} is further in the future than the tolerance. */
        TIMESTAMP_TOO_NEW,
        /** At least one well-formed signature, but none matches a configured secret. */
        NO_MATCHING_SIGNATURE,
        /** The signature header holds no well-formed signature of a supported version. */
        MALFORMED_SIGNATURE
    }

    private final Reason reason;

    /**
     * @param reason  why verification failed
     * @param message short description, without any secret or signature
     */
    public WebhookVerificationException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Why verification failed. */
    public Reason reason() {
        return reason;
    }
}
