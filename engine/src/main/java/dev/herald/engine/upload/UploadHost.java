package dev.herald.engine.upload;

import dev.herald.engine.model.Endpoint;
import dev.herald.engine.model.Ids;
import dev.herald.engine.model.Upload;
import dev.herald.engine.spi.DeliveryStore;
import java.time.Clock;

/**
 * Engine wiring, not for hosts: what the upload package needs from the engine that owns it (the store,
 * the clock, ids, request validation, and publishing to one endpoint). Implemented inside the engine;
 * public only because it crosses a package boundary.
 */
public interface UploadHost {

    /** Where uploads, endpoints and events are kept. */
    DeliveryStore store();

    /** The engine's time source. */
    Clock clock();

    /** The engine's id source. */
    Ids ids();

    /**
     * Checks a tenant name.
     *
     * @throws dev.herald.engine.HeraldException {@code INVALID_ARGUMENT}
     */
    void checkTenant(String tenant);

    /**
     * The tenant's endpoint.
     *
     * @throws dev.herald.engine.HeraldException {@code ENDPOINT_NOT_FOUND}
     */
    Endpoint endpoint(String tenant, String endpointId);

    /**
     * Checks an ad-hoc webhook (URL policy, secret shape) and returns it as an endpoint that is not stored
     * yet, with a generated secret when {@code secret} is null.
     *
     * @throws dev.herald.engine.HeraldException {@code INVALID_URL}, {@code BLOCKED_URL}, {@code INVALID_SECRET}
     */
    Endpoint adHocEndpoint(String tenant, String url, String secret);

    /** Stores an endpoint made by {@link #adHocEndpoint}. */
    void insertEndpoint(Endpoint endpoint);

    /** Deletes an endpoint, undoing {@link #insertEndpoint} when what followed failed. */
    void deleteEndpoint(Endpoint endpoint);

    /**
     * In one store transaction: replaces the upload (optimistic version) and publishes event {@code eventId}
     * of {@code type} with {@code data} and {@code idempotencyKey} to the upload's endpoint; then hands the
     * delivery to the queue.
     *
     * @return false, storing nothing, when the upload's version is stale or the idempotency key was used
     */
    boolean publishWithUpload(Upload next, String eventId, String type, String data, String idempotencyKey);

    /**
     * Publishes event {@code eventId} to one endpoint of the tenant, deduplicated by {@code idempotencyKey}.
     *
     * @return false when the key was used before, and nothing was stored
     */
    boolean publishTo(String tenant, String endpointId, String eventId, String type, String data,
                      String idempotencyKey);
}
