package dev.herald.engine.delivery;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.herald.engine.model.Endpoint;
import dev.herald.engine.spi.DeliveryStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Endpoints as workers and publishers read them: from the store, through a short-lived cache, because a
 * webhook burst reads the same few endpoints thousands of times a second. Changes made through this engine
 * invalidate at once; changes made by another instance show within {@link #TTL}. Thread-safe.
 * Internal to the engine.
 */
public final class EndpointDirectory {
    /** How stale a cached endpoint may be when another instance changed it. */
    public static final Duration TTL = Duration.ofSeconds(2);

    private record Key(String tenant, String endpointId) {
    }

    private final LoadingCache<Key, Optional<Endpoint>> byId;
    private final LoadingCache<String, List<Endpoint>> fanOut;

    public EndpointDirectory(DeliveryStore store) {
        this.byId = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(TTL)
                .build(key -> store.findEndpoint(key.tenant(), key.endpointId()));
        this.fanOut = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(TTL)
                .build(store::fanOutEndpoints);
    }

    /** The endpoint, or empty when it does not exist (deleted, or another tenant's). */
    public Optional<Endpoint> endpoint(String tenant, String endpointId) {
        return byId.get(new Key(tenant, endpointId));
    }

    /** Enabled, non-ad-hoc endpoints of the tenant. */
    public List<Endpoint> fanOutEndpoints(String tenant) {
        return fanOut.get(tenant);
    }

    /** Forgets what is cached for this endpoint and its tenant's fan-out list. */
    public void invalidate(String tenant, String endpointId) {
        byId.invalidate(new Key(tenant, endpointId));
        fanOut.invalidate(tenant);
    }
}
