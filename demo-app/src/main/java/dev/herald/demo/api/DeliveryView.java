package dev.herald.demo.api;

import dev.herald.engine.model.Delivery;
import dev.herald.engine.model.DeliveryStatus;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/**
 * A delivery: one event on its way to one endpoint.
 *
 * @param attemptCount  attempts made so far
 * @param nextAttemptAt when the next attempt is due; null once the delivery has ended
 * @param lastError     the last failure, short; null when none
 */
@Serdeable
@Schema(name = "Delivery")
public record DeliveryView(String id, String eventId, String eventType, String endpointId, DeliveryStatus status,
                           int attemptCount, @Nullable Instant nextAttemptAt, @Nullable String lastError,
                           Instant createdAt, Instant updatedAt) {

    static DeliveryView of(Delivery d) {
        return new DeliveryView(d.id(), d.eventId(), d.eventType(), d.endpointId(), d.status(), d.attempts(),
                d.status().isFinal() ? null : d.nextAttemptAt(), d.lastError(), d.createdAt(), d.updatedAt());
    }
}
