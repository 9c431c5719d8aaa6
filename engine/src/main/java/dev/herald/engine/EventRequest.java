package dev.herald.engine;

import java.time.Instant;
import java.util.Objects;

/**
 * An event a host publishes.
 *
 * @param tenant         whose endpoints receive it
 * @param type           dotted lower-case type, such as {@code document.completed}
 * @param data           a JSON object, as text
 * @param subject        what it is about, for coalescing progress events; null for none
 * @param idempotencyKey a key that makes a retried publish store the event once; null for none
 * @param occurredAt     when it happened; null for now
 */
public record EventRequest(String tenant, String type, String data, String subject, String idempotencyKey,
                           Instant occurredAt) {
    public EventRequest {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
    }

    /** An event of {@code type} with {@code data}, happening now. */
    public static EventRequest of(String tenant, String type, String data) {
        return new EventRequest(tenant, type, data, null, null, null);
    }

    public EventRequest withSubject(String value) {
        return new EventRequest(tenant, type, data, value, idempotencyKey, occurredAt);
    }

    public EventRequest withIdempotencyKey(String value) {
        return new EventRequest(tenant, type, data, subject, value, occurredAt);
    }
}
