package dev.herald.demo.api;

import dev.herald.engine.PublishResult;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * What a publish stored.
 *
 * @param eventId     the event's id (the earlier one when {@code duplicate})
 * @param deliveryIds one delivery per matching endpoint
 * @param duplicate   true when the idempotency key was used before and nothing new was stored
 */
@Serdeable
@Schema(name = "PublishResult")
public record PublishView(String eventId, List<String> deliveryIds, boolean duplicate) {

    static PublishView of(PublishResult r) {
        return new PublishView(r.eventId(), r.deliveryIds(), r.duplicate());
    }
}
