package dev.herald.engine.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One event on its way to one endpoint: the unit of retry.
 *
 * @param id            {@code dlv_…}; also the {@code webhook-id} header, the same on every attempt
 * @param tenant        owner
 * @param eventId       the event delivered
 * @param eventType     its type, kept here for filtering logs without a join
 * @param endpointId    the receiver
 * @param status        life-cycle state
 * @param attempts      attempts made so far
 * @param nextAttemptAt when the next attempt is due (meaningful while SCHEDULED)
 * @param lastError     a short description of the last failure, or null
 * @param createdAt     when the delivery was created
 * @param updatedAt     when it last changed
 */
public record Delivery(String id, String tenant, String eventId, String eventType, String endpointId,
                       DeliveryStatus status, int attempts, Instant nextAttemptAt, String lastError,
                       Instant createdAt, Instant updatedAt) {
    public Delivery {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(endpointId, "endpointId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** A new SCHEDULED delivery due at {@code dueAt}. */
    public static Delivery scheduled(String id, Event event, String endpointId, Instant dueAt, Instant now) {
        return new Delivery(id, event.tenant(), event.id(), event.type(), endpointId, DeliveryStatus.SCHEDULED, 0,
                dueAt, null, now, now);
    }
}
