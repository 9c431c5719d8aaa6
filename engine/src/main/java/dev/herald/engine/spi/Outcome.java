package dev.herald.engine.spi;

import dev.herald.engine.model.Attempt;
import dev.herald.engine.model.DeliveryStatus;
import java.time.Instant;
import java.util.Objects;

/**
 * What a worker learnt about a claimed delivery, to be recorded under its lease.
 *
 * @param deliveryId    the delivery
 * @param leaseOwner    the lease the worker holds; the store refuses the outcome if it no longer does
 * @param attempt       the attempt to append to the log, or null when the delivery was put back without
 *                      an attempt (endpoint busy, circuit open, shutdown)
 * @param status        the new state: SCHEDULED, SUCCEEDED, FAILED or DEAD
 * @param attempts      the delivery's attempt count after this outcome
 * @param nextAttemptAt when the next attempt is due (for SCHEDULED); for final states, the time recorded
 * @param lastError     short failure description, or null
 * @param at            when the outcome was decided
 */
public record Outcome(String deliveryId, String leaseOwner, Attempt attempt, DeliveryStatus status, int attempts,
                      Instant nextAttemptAt, String lastError, Instant at) {
    public Outcome {
        Objects.requireNonNull(deliveryId, "deliveryId");
        Objects.requireNonNull(leaseOwner, "leaseOwner");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        Objects.requireNonNull(at, "at");
        if (status == DeliveryStatus.IN_FLIGHT) {
            throw new IllegalArgumentException("an outcome cannot leave a delivery IN_FLIGHT");
        }
    }
}
