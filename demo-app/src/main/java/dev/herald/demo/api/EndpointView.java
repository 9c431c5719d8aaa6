package dev.herald.demo.api;

import dev.herald.engine.model.Endpoint;
import dev.herald.engine.model.EndpointSecret;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An endpoint as every response but creation and rotation shows it: without any secret.
 *
 * @param previousSecretExpiresAt while a rotated-out secret still signs, when it stops; else null
 */
@Serdeable
@Schema(name = "Endpoint")
public record EndpointView(String id, String url, List<String> eventTypes, String description,
                           Map<String, String> headers, boolean enabled, int maxInFlight, int rateLimit,
                           @Nullable Instant previousSecretExpiresAt, Instant createdAt, Instant updatedAt) {

    /** The view of {@code e} at {@code now}. */
    static EndpointView of(Endpoint e, Instant now) {
        Instant previous = e.signingSecrets(now).stream().skip(1).map(EndpointSecret::expiresAt)
                .filter(java.util.Objects::nonNull).max(Instant::compareTo).orElse(null);
        return new EndpointView(e.id(), e.url().toString(), e.eventTypes().stream().sorted().toList(),
                e.description(), e.headers(), e.enabled(), e.maxInFlight(), e.rateLimit(), previous, e.createdAt(),
                e.updatedAt());
    }
}
