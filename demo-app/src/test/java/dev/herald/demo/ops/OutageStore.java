package dev.herald.demo.ops;

import dev.herald.engine.memory.InMemoryDeliveryStore;
import dev.herald.engine.model.Attempt;
import dev.herald.engine.model.Delivery;
import dev.herald.engine.model.DeliveryStatus;
import dev.herald.engine.model.Endpoint;
import dev.herald.engine.model.Event;
import dev.herald.engine.model.Upload;
import dev.herald.engine.spi.DeliveryQuery;
import dev.herald.engine.spi.DeliveryStore;
import dev.herald.engine.spi.DeliveryTask;
import dev.herald.engine.spi.Lease;
import dev.herald.engine.spi.Outcome;
import dev.herald.engine.spi.Page;
import dev.herald.engine.spi.StoreException;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The in-memory store behind a switch that makes every call fail, like a database that went away. */
@Singleton
@Requires(env = "outage")
@Replaces(DeliveryStore.class)
class OutageStore implements DeliveryStore {
    private final InMemoryDeliveryStore delegate = new InMemoryDeliveryStore();
    private volatile boolean down;

    void down(boolean value) {
        this.down = value;
    }

    private DeliveryStore store() {
        if (down) {
            throw new StoreException("simulated outage", null);
        }
        return delegate;
    }

    @Override
    public void insertEndpoint(Endpoint endpoint) {
        store().insertEndpoint(endpoint);
    }

    @Override
    public boolean updateEndpoint(Endpoint endpoint) {
        return store().updateEndpoint(endpoint);
    }

    @Override
    public boolean deleteEndpoint(String tenant, String endpointId) {
        return store().deleteEndpoint(tenant, endpointId);
    }

    @Override
    public Optional<Endpoint> findEndpoint(String tenant, String endpointId) {
        return store().findEndpoint(tenant, endpointId);
    }

    @Override
    public Page<Endpoint> listEndpoints(String tenant, String before, int limit) {
        return store().listEndpoints(tenant, before, limit);
    }

    @Override
    public List<Endpoint> fanOutEndpoints(String tenant) {
        return store().fanOutEndpoints(tenant);
    }

    @Override
    public String publish(Event event, List<Delivery> deliveries) {
        return store().publish(event, deliveries);
    }

    @Override
    public Optional<Event> findEvent(String tenant, String eventId) {
        return store().findEvent(tenant, eventId);
    }

    @Override
    public List<DeliveryTask> claim(Collection<String> deliveryIds, Lease lease, Instant now) {
        return store().claim(deliveryIds, lease, now);
    }

    @Override
    public List<DeliveryTask> claimDue(Lease lease, Instant now, int limit) {
        return store().claimDue(lease, now, limit);
    }

    @Override
    public Set<String> record(List<Outcome> outcomes) {
        return store().record(outcomes);
    }

    @Override
    public void release(Collection<String> deliveryIds, String leaseOwner, Instant now) {
        store().release(deliveryIds, leaseOwner, now);
    }

    @Override
    public Optional<Delivery> findDelivery(String tenant, String deliveryId) {
        return store().findDelivery(tenant, deliveryId);
    }

    @Override
    public Page<Delivery> listDeliveries(DeliveryQuery query) {
        return store().listDeliveries(query);
    }

    @Override
    public List<Attempt> attempts(String tenant, String deliveryId) {
        return store().attempts(tenant, deliveryId);
    }

    @Override
    public List<String> replay(String tenant, String endpointId, String deliveryId, Instant now) {
        return store().replay(tenant, endpointId, deliveryId, now);
    }

    @Override
    public Map<DeliveryStatus, Long> countByStatus() {
        return store().countByStatus();
    }

    @Override
    public Optional<Instant> oldestDue() {
        return store().oldestDue();
    }

    @Override
    public int purge(Instant before, int limit) {
        return store().purge(before, limit);
    }

    @Override
    public void insertUploads(List<Upload> uploads) {
        store().insertUploads(uploads);
    }

    @Override
    public Optional<Upload> findUpload(String uploadId) {
        return store().findUpload(uploadId);
    }

    @Override
    public List<Upload> uploadsOfBatch(String tenant, String batchId) {
        return store().uploadsOfBatch(tenant, batchId);
    }

    @Override
    public List<Upload> uploadsOf(String bucket, String key) {
        return store().uploadsOf(bucket, key);
    }

    @Override
    public List<Upload> dueUploads(Instant now, int limit) {
        return store().dueUploads(now, limit);
    }

    @Override
    public boolean updateUpload(Upload next) {
        return store().updateUpload(next);
    }

    @Override
    public boolean updateUploadAndPublish(Upload next, Event event, List<Delivery> deliveries) {
        return store().updateUploadAndPublish(next, event, deliveries);
    }
}
