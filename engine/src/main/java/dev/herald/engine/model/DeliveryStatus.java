package dev.herald.engine.model;

/** Where a delivery stands; see the life cycle in {@code docs/architecture.md}. */
public enum DeliveryStatus {
    /** Waiting for {@code nextAttemptAt}. */
    SCHEDULED,
    /** Claimed by a worker under a lease. */
    IN_FLIGHT,
    /** The receiver answered 2xx. */
    SUCCEEDED,
    /** The receiver refused it for good (a non-retryable 4xx); can be replayed. */
    FAILED,
    /** Every attempt failed; a dead letter; can be replayed. */
    DEAD;

    /** Whether the delivery has ended (no further attempt unless replayed). */
    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == DEAD;
    }

    /** Whether {@code replay} accepts a delivery in this state. */
    public boolean isReplayable() {
        return this == FAILED || this == DEAD;
    }
}
