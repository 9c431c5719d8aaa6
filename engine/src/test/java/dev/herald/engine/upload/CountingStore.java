package dev.herald.engine.upload;

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
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link InMemoryDeliveryStore} that counts the writes registration makes (so a test can prove a refusal
 * stored nothing, ad-hoc endpoints included) and can be told to fail inserting uploads.
 */
final class CountingStore implements DeliveryStore {
    private final InMemoryDeliveryStore d = new InMemoryDeliveryStore();
    final AtomicInteger endpointInserts = new AtomicInteger();
    final AtomicInteger endpointDeletes = new AtomicInteger();
    final AtomicInteger uploadInserts = new AtomicInteger();
    final AtomicInteger completedPublishes = new AtomicInteger();
    volatile boolean failUploadInserts;

    int writes() {
        return endpointInserts.get() + uploadInserts.get();
    }

    @Override
    public void insertEndpoint(Endpoint endpoint) {
        endpointInserts.incrementAndGet();
        d.insertEndpoint(endpoint);
    }

    @Override
    public boolean updateEndpoint(Endpoint endpoint) {
        return d.updateEndpoint(endpoint);
    }

    @Override
    public boolean deleteEndpoint(String tenant, String endpointId) {
        endpointDeletes.incrementAndGet();
        return d.deleteEndpoint(tenant, endpointId);
    }

    @Override
    public Optional<Endpoint> findEndpoint(String tenant, String endpointId) {
        return d.findEndpoint(tenant, endpointId);
    }

    @Override
    public Page<Endpoint> listEndpoints(String tenant, String before, int limit) {
        return d.listEndpoints(tenant, before, limit);
    }

    @Override
    public List<Endpoint> fanOutEndpoints(String tenant) {
        return d.fanOutEndpoints(tenant);
    }

    @Override
    public String publish(Event event, List<Delivery> deliveries) {
        return d.publish(event, deliveries);
    }

    @Override
    public Optional<Event> findEvent(String tenant, String eventId) {
        return d.findEvent(tenant, eventId);
    }

    @Override
    public List<DeliveryTask> claim(Collection<String> deliveryIds, Lease lease, Instant now) {
        return d.claim(deliveryIds, lease, now);
    }

    @Override
    public List<DeliveryTask> claimDue(Lease lease, Instant now, int limit) {
        return d.claimDue(lease, now, limit);
    }

    @Override
    public Set<String> record(List<Outcome> outcomes) {
        return d.record(outcomes);
    }

    @Override
    public void release(Collection<String> deliveryIds, String leaseOwner, Instant now) {
        d.release(deliveryIds, leaseOwner, now);
    }

    @Override
    public Optional<Delivery> findDelivery(String tenant, String deliveryId) {
        return d.findDelivery(tenant, deliveryId);
    }

    @Override
    public Page<Delivery> listDeliveries(DeliveryQuery query) {
        return d.listDeliveries(query);
    }

    @Override
    public List<Attempt> attempts(String tenant, String deliveryId) {
        return d.attempts(tenant, deliveryId);
    }

    @Override
    public List<String> replay(String tenant, String endpointId, String deliveryId, Instant now) {
        return d.replay(tenant, endpointId, deliveryId, now);
    }

    @Override
    public Map<DeliveryStatus, Long> countByStatus() {
        return d.countByStatus();
    }

    @Override
    public Optional<Instant> oldestDue() {
        return d.oldestDue();
    }

    @Override
    public int purge(Instant before, int limit) {
        return d.purge(before, limit);
    }

    @Override
    public void insertUploads(List<Upload> uploads) {
        if (failUploadInserts) {
            throw new StoreException("disk full");
        }
        uploadInserts.incrementAndGet();
        d.insertUploads(uploads);
    }

    @Override
    public Optional<Upload> findUpload(String uploadId) {
        return d.findUpload(uploadId);
    }

    @Override
    public List<Upload> uploadsOfBatch(String tenant, String batchId) {
        return d.uploadsOfBatch(tenant, batchId);
    }

    @Override
    public List<Upload> uploadsOf(String bucket, String key) {
        return d.uploadsOf(bucket, key);
    }

    @Override
    public List<Upload> dueUploads(Instant now, int limit) {
        return d.dueUploads(now, limit);
    }

    @Override
    public boolean updateUpload(Upload next) {
        return d.updateUpload(next);
    }

    @Override
    public boolean updateUploadAndPublish(Upload next, Event event, List<Delivery> deliveries) {
        boolean stored = d.updateUploadAndPublish(next, event, deliveries);
        if (stored && event.type().equals("upload.completed")) {
            completedPublishes.incrementAndGet();
        }
        return stored;
    }
}
