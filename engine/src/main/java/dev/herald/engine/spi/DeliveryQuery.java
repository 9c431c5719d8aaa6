package dev.herald.engine.spi;

import dev.herald.engine.model.DeliveryStatus;
import java.util.Objects;

/**
 * A page of a tenant's deliveries, newest first.
 *
 * @param tenant     whose deliveries
 * @param endpointId only this endpoint's, or null for all
 * @param eventId    only this event's, or null for all
 * @param status     only this state, or null for all
 * @param before     cursor: only ids lower than this one, or null to start at the newest
 * @param limit      page size, 1 to 1000
 */
public record DeliveryQuery(String tenant, String endpointId, String eventId, DeliveryStatus status, String before,
                            int limit) {
    public DeliveryQuery {
        Objects.requireNonNull(tenant, "tenant");
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be within [1, 1000], was " + limit);
        }
    }
}
