package dev.herald.engine;

import dev.herald.engine.model.Attempt;
import dev.herald.engine.model.Delivery;
import dev.herald.engine.model.Endpoint;

/**
 * Hears what happens to deliveries, for metrics, logs and notifications (an e-mail on a dead letter).
 * Called on the engine's recording thread after the outcome is in the store: keep it quick, hand slow
 * work to your own executor. An exception thrown here is logged and otherwise ignored.
 * Every method does nothing by default.
 */
public interface HeraldListener {

    /** The receiver answered 2xx. */
    default void deliverySucceeded(Delivery delivery, Attempt attempt) {
    }

    /** An attempt failed and another is scheduled at {@code delivery.nextAttemptAt()}. */
    default void deliveryRetrying(Delivery delivery, Attempt attempt) {
    }

    /** The receiver refused the delivery for good (a non-retryable 4xx, or the endpoint is gone). */
    default void deliveryFailed(Delivery delivery, Attempt attempt) {
    }

    /** Every attempt failed: the delivery is a dead letter. */
    default void deliveryDead(Delivery delivery, Attempt attempt) {
    }

    /** The engine disabled an endpoint (it answered 410 Gone). */
    default void endpointDisabled(Endpoint endpoint, String reason) {
    }
}
