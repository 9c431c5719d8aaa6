package dev.herald.engine;

import java.util.List;

/**
 * What a publish stored.
 *
 * @param eventId     the stored event's id (the earlier one when {@code duplicate})
 * @param deliveryIds one delivery per matching endpoint; empty when none matched or {@code duplicate}
 * @param duplicate   true when the idempotency key was used before and nothing new was stored
 */
public record PublishResult(String eventId, List<String> deliveryIds, boolean duplicate) {
    public PublishResult {
        deliveryIds = List.copyOf(deliveryIds);
    }
}
