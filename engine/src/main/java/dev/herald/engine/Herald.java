package dev.herald.engine;

import dev.herald.engine.model.Attempt;
import dev.herald.engine.model.Delivery;
import dev.herald.engine.model.Endpoint;
import dev.herald.engine.model.Event;
import dev.herald.engine.spi.DeliveryQuery;
import dev.herald.engine.spi.Page;
import dev.herald.engine.upload.Uploads;
import java.time.Duration;
import java.util.List;

/**
 * The webhook engine: register endpoints, publish events, and (once {@link #start() started}) deliver
 * them, signed, with retries, dead letters and replay. Built with {@link #builder()}.
 *
 * <p>Publishing and delivering are separate roles: an instance that only publishes never calls
 * {@link #start()} and runs no worker. Several engines may share one store and queue (in one JVM or many).
 *
 * <p>Every method is thread-safe and tenant-scoped: an id of another tenant is reported as not found.
 * Refused input throws {@link HeraldException} with an {@link ErrorCode}, and nothing is stored then.
 */
public interface Herald extends AutoCloseable {

    /** A builder with the defaults documented on {@link HeraldBuilder}. */
    static HeraldBuilder builder() {
        return new HeraldBuilder();
    }

    // ---- endpoints ----

    /** Registers an endpoint. The returned endpoint is the only answer that carries its secret. */
    Endpoint createEndpoint(String tenant, EndpointRequest request);

    /** Replaces an endpoint's settings; a null secret keeps the current one. */
    Endpoint updateEndpoint(String tenant, String endpointId, EndpointRequest request);

    /** One endpoint; throws {@link ErrorCode#ENDPOINT_NOT_FOUND}. */
    Endpoint endpoint(String tenant, String endpointId);

    /** A page of endpoints, newest first; {@code cursor} is the last id of the previous page, or null. */
    Page<Endpoint> endpoints(String tenant, String cursor, int limit);

    /** Enables or disables an endpoint. Disabled endpoints get no new deliveries; pending ones wait. */
    Endpoint setEndpointEnabled(String tenant, String endpointId, boolean enabled);

    /** Deletes an endpoint; its delivery log stays, and its pending deliveries end FAILED. */
    void deleteEndpoint(String tenant, String endpointId);

    /**
     * Gives the endpoint a new generated secret. The old one keeps signing for {@code grace}, so both
     * signatures go out meanwhile. Returns the endpoint with the new secret first.
     */
    Endpoint rotateSecret(String tenant, String endpointId, Duration grace);

    /** Sends a {@code herald.test} event to this endpoint only. */
    PublishResult sendTestEvent(String tenant, String endpointId);

    // ---- events ----

    /**
     * Stores the event and one delivery per enabled endpoint of the tenant whose filter matches, in one
     * transaction, before returning. Events of a coalescing type may be held for up to their interval.
     */
    PublishResult publish(EventRequest request);

    /** Stores the event with one delivery to the given endpoint only (ad-hoc or not, enabled or not). */
    PublishResult publishTo(String endpointId, EventRequest request);

    /** One event; throws {@link ErrorCode#EVENT_NOT_FOUND}. */
    Event event(String tenant, String eventId);

    // ---- deliveries ----

    /** One delivery; throws {@link ErrorCode#DELIVERY_NOT_FOUND}. */
    Delivery delivery(String tenant, String deliveryId);

    /** A delivery's attempts, oldest first; throws {@link ErrorCode#DELIVERY_NOT_FOUND}. */
    List<Attempt> attempts(String tenant, String deliveryId);

    /** A page of deliveries. */
    Page<Delivery> deliveries(DeliveryQuery query);

    /** Sends a FAILED or DEAD delivery again, keeping its attempts; throws {@link ErrorCode#NOT_REPLAYABLE}. */
    Delivery replay(String tenant, String deliveryId);

    /** Sends every FAILED or DEAD delivery of the endpoint again; returns their ids. */
    List<String> replayEndpoint(String tenant, String endpointId);

    // ---- uploads ----

    /**
     * Direct-to-storage uploads: register, confirm, notifications, status. The poller for auto-detection
     * and storage retries runs once {@link #start() started}; confirms work without it.
     *
     * @throws IllegalStateException when the engine was built without {@link HeraldBuilder#uploads}
     */
    Uploads uploads();

    // ---- running ----

    /** Starts the delivery workers, the store sweep and any pollers. Idempotent. */
    Herald start();

    /**
     * Stops claiming work, waits up to the builder's shutdown deadline for in-flight requests, puts back
     * what is still in flight so another instance delivers it at once, and releases the transport. The
     * store and queue the host gave are not closed. Idempotent.
     */
    @Override
    void close();
}
