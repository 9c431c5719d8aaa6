package dev.herald.demo.api;

import io.micronaut.core.annotation.Nullable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Set;

/**
 * The body of {@code POST /v1/endpoints/{id}/rotate-secret}.
 *
 * @param graceSeconds how long the old secret keeps signing beside the new one, 0 to 604800 (7 days);
 *                     absent for 86400 (1 day)
 */
@Schema(name = "RotateSecretRequest")
public record RotateBody(@Nullable Long graceSeconds) {
    private static final Set<String> FIELDS = Set.of("graceSeconds");

    /** Reads a request body strictly; an absent body means the defaults. */
    static RotateBody from(String body) {
        if (body == null || body.isBlank()) {
            return new RotateBody(null);
        }
        return new RotateBody(JsonBody.of(body, FIELDS).whole("graceSeconds"));
    }
}
