package dev.herald.engine.spi;

import dev.herald.engine.model.Delivery;
import dev.herald.engine.model.Event;
import java.util.Objects;

/**
 * A claimed delivery with its event, so a worker can send without another read.
 *
 * @param delivery the delivery, now IN_FLIGHT under the caller's lease
 * @param event    the event it carries
 */
public record DeliveryTask(Delivery delivery, Event event) {
    public DeliveryTask {
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(event, "event");
    }
}
