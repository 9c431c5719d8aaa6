package dev.herald.engine.spi;

import dev.herald.engine.model.Attempt;
import dev.herald.engine.model.Delivery;
import dev.herald.engine.model.Endpoint;
import dev.herald.engine.model.Event;
import dev.herald.engine.model.Upload;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Herald's source of truth: events, endpoints, deliveries, attempts and uploads. Every write is atomic:
 * it happens whole or not at all, and a method that returns has made its write durable. Every read a
 * host serves to a tenant is scoped to that tenant; an id of another tenant reads as absent.
 *
 * <p>Deliveries move under leases: {@link #claim} and {@link #claimDue} set a delivery IN_FLIGHT for one
 * lease owner until a deadline; {@link #record} applies an outcome only while that owner still holds
 * the lease, so a worker that lost its lease cannot overwrite a newer outcome. A lease that ran out
 * makes the delivery claimable again.
 *
 * <p>Implementations are thread-safe. Failures surface as {@link StoreException}. The contract is
 * {@code DeliveryStoreContract} in the engine's test-jar.
 */
public interface DeliveryStore extends AutoCloseable {

    // ---- endpoints ------------------------------------------------------------------------------

    /** Stores a new endpoint. */
    void insertEndpoint(Endpoint endpoint);

    /** Replaces a stored endpoint of the same tenant and id; false when there is none. */
    boolean updateEndpoint(Endpoint endpoint);

    /** Deletes an endpoint; its deliveries and their log stay. False when there is none. */
    boolean deleteEndpoint(String tenant, String endpointId);

    /** One endpoint of the tenant. */
    Optional<Endpoint> findEndpoint(String tenant, String endpointId);

    /** A page of the tenant's endpoints, newest first, ad-hoc endpoints excluded. */
    Page<Endpoint> listEndpoints(String tenant, String before, int limit);

    /** Every enabled endpoint of the tenant that takes fan-out (not ad-hoc), in id order. */
    List<Endpoint> fanOutEndpoints(String tenant);

    // ---- events and deliveries ------------------------------------------------------------------

    /**
     * Stores an event and its deliveries in one transaction. When the event has an idempotency key
     * that the tenant already used, nothing is stored and the earlier event's id is returned.
     *
     * @return the id of the stored event: {@code event.id()}, or the earlier one
     */
    String publish(Event event, List<Delivery> deliveries);

    /** One event of the tenant. */
    Optional<Event> findEvent(String tenant, String eventId);

    /**
     * Claims the given deliveries that are claimable at {@code now}: SCHEDULED and due, or IN_FLIGHT
     * with a lease that ran out. Others (not due, final, leased, unknown) are skipped silently.
     */
    List<DeliveryTask> claim(Collection<String> deliveryIds, Lease lease, Instant now);

    /** Claims up to {@code limit} claimable deliveries, the longest due first. */
    List<DeliveryTask> claimDue(Lease lease, Instant now, int limit);

    /**
     * Applies outcomes, each only if its lease owner still holds the delivery (IN_FLIGHT, same owner);
     * the attempt, when present, is appended in the same transaction.
     *
     * @return the ids whose outcome was applied
     */
    Set<String> record(List<Outcome> outcomes);

    /** Puts the owner's IN_FLIGHT deliveries among {@code deliveryIds} back to SCHEDULED, due at {@code now}. */
    void release(Collection<String> deliveryIds, String leaseOwner, Instant now);

    /** One delivery of the tenant. */
    Optional<Delivery> findDelivery(String tenant, String deliveryId);

    /** A page of deliveries. */
    Page<Delivery> listDeliveries(DeliveryQuery query);

    /** The attempts of one of the tenant's deliveries, oldest first; empty when there is none. */
    List<Attempt> attempts(String tenant, String deliveryId);

    /**
     * Sets FAILED or DEAD deliveries back to SCHEDULED, due at {@code now}, keeping their attempts.
     * With {@code deliveryId} null, replays every FAILED or DEAD delivery of the endpoint.
     *
     * @return the ids replayed
     */
    List<String> replay(String tenant, String endpointId, String deliveryId, Instant now);

    /** Counts deliveries by state, across tenants, for health and metrics. */
    java.util.Map<dev.herald.engine.model.DeliveryStatus, Long> countByStatus();

    /** The due time of the longest-waiting SCHEDULED delivery, across tenants. */
    Optional<Instant> oldestDue();

    /**
     * Deletes up to {@code limit} final deliveries (SUCCEEDED, FAILED, DEAD) last changed before
     * {@code before}, with their attempts, and events left without deliveries.
     *
     * @return how many deliveries were deleted
     */
    int purge(Instant before, int limit);

    // ---- uploads --------------------------------------------------------------------------------

    /** Stores new uploads (a batch is one call), all or none. */
    void insertUploads(List<Upload> uploads);

    /** One upload by its token, whatever its tenant; callers check the tenant. */
    Optional<Upload> findUpload(String uploadId);

    /** Uploads of the tenant's batch, in id order. */
    List<Upload> uploadsOfBatch(String tenant, String batchId);

    /** Non-final uploads watching this object, across tenants. */
    List<Upload> uploadsOf(String bucket, String key);

    /** Up to {@code limit} non-final uploads with {@code nextCheckAt} at or before {@code now}, the earliest first. */
    List<Upload> dueUploads(Instant now, int limit);

    /**
     * Replaces an upload if the stored one has version {@code next.version() - 1}; false when it does not
     * (someone else changed it first) or there is none.
     */
    boolean updateUpload(Upload next);

    /**
     * In one transaction: {@link #updateUpload} and {@link #publish} of the event that announces the
     * change. When the version is stale, or the event's idempotency key (such as
     * {@code upload.completed:<bucket>/<key>#<etag>}) was already used, nothing is stored.
     *
     * @return whether the upload and the event were stored
     */
    boolean updateUploadAndPublish(Upload next, Event event, List<Delivery> deliveries);

    /** Releases what the store holds (connections, files). Idempotent. */
    @Override
    default void close() {
    }
}
