package dev.herald.demo.api;

import io.micronaut.core.annotation.Nullable;
import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Set;

/**
 * The body of {@code POST /v1/events}.
 *
 * @param type           a declared event type, such as {@code document.completed}
 * @param data           a JSON object, delivered as the envelope's {@code data}
 * @param subject        what the event is about; coalescing types keep the latest per subject
 * @param idempotencyKey a key that makes a retried publish store the event once (the
 *                       {@code Idempotency-Key} header does the same)
 */
@Schema(name = "EventRequest", requiredProperties = {"type", "data"})
public record EventBody(@Nullable String type, @Nullable @Schema(type = "object") JsonNode data,
                        @Nullable String subject, @Nullable String idempotencyKey) {
    private static final Set<String> FIELDS = Set.of("type", "data", "subject", "idempotencyKey");

    /** Reads a request body strictly; see {@link JsonBody}. */
    static EventBody from(String body) {
        JsonBody b = JsonBody.of(body, FIELDS);
        return new EventBody(b.string("type"), b.any("data"), b.string("subject"), b.string("idempotencyKey"));
    }
}
