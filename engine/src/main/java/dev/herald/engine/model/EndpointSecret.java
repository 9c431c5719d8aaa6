package dev.herald.engine.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One signing secret of an endpoint. During rotation an endpoint holds the new secret and the old one
 * until {@code expiresAt}, and requests carry a signature for each. {@link #toString()} never shows
 * the value.
 *
 * @param value     {@code whsec_<base64>} or any other string of at least 16 characters
 * @param expiresAt when this secret stops signing; null for the current secret
 */
public record EndpointSecret(String value, Instant expiresAt) {
    public EndpointSecret {
        Objects.requireNonNull(value, "value");
    }

    /** Whether this secret still signs at {@code now}. */
    public boolean activeAt(Instant now) {
        return expiresAt == null || now.isBefore(expiresAt);
    }

    @Override
    public String toString() {
        return "EndpointSecret[value=***, expiresAt=" + expiresAt + "]";
    }
}
