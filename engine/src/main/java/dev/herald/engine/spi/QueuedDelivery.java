package dev.herald.engine.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A delivery id offered to a queue, to be handed out at or after {@code dueAt}.
 */
public record QueuedDelivery(String deliveryId, Instant dueAt) {
    public QueuedDelivery {
        Objects.requireNonNull(deliveryId, "deliveryId");
        Objects.requireNonNull(dueAt, "dueAt");
    }
}
