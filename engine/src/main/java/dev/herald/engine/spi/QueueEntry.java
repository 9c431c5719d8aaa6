package dev.herald.engine.spi;

import java.util.Objects;

/**
 * A delivery id handed out by a queue, with what the queue needs to acknowledge it.
 *
 * @param deliveryId the delivery to claim in the store
 * @param receipt    queue-specific handle (a stream entry id); opaque to the engine
 */
public record QueueEntry(String deliveryId, String receipt) {
    public QueueEntry {
        Objects.requireNonNull(deliveryId, "deliveryId");
    }
}
