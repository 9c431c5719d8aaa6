package dev.herald.demo.auth;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/**
 * One API key as stored: only the SHA-256 of the key is kept, never the key. {@link #toString()} shows no
 * hash either.
 *
 * @param id        {@code key_…}
 * @param tenant    the tenant every call made with the key is scoped to
 * @param keyHash   hex SHA-256 of the key's UTF-8 bytes
 * @param label     what the key is for ({@code startup} for the one printed at start-up)
 * @param createdAt when it was made
 */
@MappedEntity(value = "api_key", escape = false)
public record ApiKey(@Id String id, String tenant, String keyHash, String label, Instant createdAt) {
    @Override
    public String toString() {
        return "ApiKey[id=" + id + ", tenant=" + tenant + ", label=" + label + "]";
    }
}
