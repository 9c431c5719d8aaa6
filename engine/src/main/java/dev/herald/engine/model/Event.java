package dev.herald.engine.model;

import java.time.Instant;
import java.util.Objects;

/**
 * Something that happened in the host, immutable once published.
 *
 * @param id             {@code evt_…}
 * @param tenant         owner of the event
 * @param type           dotted lower-case type, such as {@code upload.completed}
 * @param occurredAt     when it happened
 * @param data           the event's data as a JSON object text, already validated
 * @param subject        what the event is about (a download id, an upload token); events of a
 *                       coalescing type are coalesced per subject; may be null
 * @param idempotencyKey a key the host gives so a retried publish stores the event once; may be null
 */
public record Event(String id, String tenant, String type, Instant occurredAt, String data, String subject,
                    String idempotencyKey) {
    public Event {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(data, "data");
    }

    /**
     * The body sent to receivers: the Standard Webhooks envelope {@code {"id","type","timestamp","data"}}.
     * Built by concatenation because every part is already valid JSON or a validated token.
     */
    public String envelope() {
        return "{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"timestamp\":\"" + occurredAt + "\",\"data\":" + data + "}";
    }
}
