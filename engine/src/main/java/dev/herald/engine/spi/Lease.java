package dev.herald.engine.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A worker's hold on claimed deliveries. Until {@code until} passes nobody else may claim them; after
 * that anyone may, and the first holder's outcome is refused.
 *
 * @param owner a name unique to the claiming engine instance
 * @param until when the hold ends
 */
public record Lease(String owner, Instant until) {
    public Lease {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(until, "until");
    }
}
