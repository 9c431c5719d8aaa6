package dev.herald.engine.memory;

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
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A {@link dev.herald.engine.spi.DeliveryStore} in the heap. Thread-safe: one lock guards everything,
 * which keeps every method trivially atomic; fine for tests and demos, not for a large backlog
 * (everything is kept until {@link #purge}). Nothing survives the process.
 */
public final class InMemoryDeliveryStore implements DeliveryStore {

    /** A delivery with its lease; the lease is store state, not part of the public record. */
    private record Row(Delivery delivery, String leaseOwner, Instant leaseUntil) {
    }

    /** Orders the due index by time, then id. */
    private record DueKey(Instant at, String id) implements Comparable<DueKey> {
        @Override
        public int compareTo(DueKey o) {
            int c = at.compareTo(o.at);
            return c != 0 ? c : id.compareTo(o.id);
        }
    }

    private final Object lock = new Object();
    private final NavigableMap<String, Endpoint> endpoints = new TreeMap<>();
    private final Map<String, Event> events = new HashMap<>();
    private final Map<String, String> idempotencyKeys = new HashMap<>();
    private final NavigableMap<String, Row> deliveries = new TreeMap<>();
    /** SCHEDULED deliveries by due time, IN_FLIGHT ones by lease end: together, what may be claimed. */
    private final TreeSet<DueKey> claimable = new TreeSet<>();
    private final Map<String, List<Attempt>> attempts = new HashMap<>();
    private final NavigableMap<String, Upload> uploads = new TreeMap<>();

    // ---- endpoints ----

    @Override
    public void insertEndpoint(Endpoint endpoint) {
        synchronized (lock) {
            if (endpoints.putIfAbsent(endpoint.id(), endpoint) != null) {
                throw new StoreException("endpoint id already exists");
            }
        }
    }

    @Override
    public boolean updateEndpoint(Endpoint endpoint) {
        synchronized (lock) {
            Endpoint current = endpoints.get(endpoint.id());
            if (current == null || !current.tenant().equals(endpoint.tenant())) {
                return false;
            }
            endpoints.put(endpoint.id(), endpoint);
            return true;
        }
    }

    @Override
    public boolean deleteEndpoint(String tenant, String endpointId) {
        synchronized (lock) {
            Endpoint current = endpoints.get(endpointId);
            if (current == null || !current.tenant().equals(tenant)) {
                return false;
            }
            endpoints.remove(endpointId);
            return true;
        }
    }

    @Override
    public Optional<Endpoint> findEndpoint(String tenant, String endpointId) {
        synchronized (lock) {
            return Optional.ofNullable(endpoints.get(endpointId)).filter(e -> e.tenant().equals(tenant));
        }
    }

    @Override
    public Page<Endpoint> listEndpoints(String tenant, String before, int limit) {
        synchronized (lock) {
            NavigableMap<String, Endpoint> view = before == null ? endpoints.descendingMap()
                    : endpoints.headMap(before, false).descendingMap();
            List<Endpoint> page = new ArrayList<>();
            for (Endpoint e : view.values()) {
                if (e.tenant().equals(tenant) && !e.adHoc()) {
                    if (page.size() == limit) {
                        return new Page<>(page, page.get(page.size() - 1).id());
                    }
                    page.add(e);
                }
            }
            return new Page<>(page, null);
        }
    }

    @Override
    public List<Endpoint> fanOutEndpoints(String tenant) {
        synchronized (lock) {
            return endpoints.values().stream().filter(e -> e.tenant().equals(tenant) && e.enabled() && !e.adHoc())
                    .toList();
        }
    }

    // ---- events and deliveries ----

    @Override
    public String publish(Event event, List<Delivery> newDeliveries) {
        synchronized (lock) {
            String earlier = earlierEvent(event);
            if (earlier != null) {
                return earlier;
            }
            storeEvent(event, newDeliveries);
            return event.id();
        }
    }

    private String earlierEvent(Event event) {
        return event.idempotencyKey() == null ? null
                : idempotencyKeys.get(event.tenant() + '\u0000' + event.idempotencyKey());
    }

    /** Checks every id before writing anything, so a clash leaves the store as it was. */
    private void storeEvent(Event event, List<Delivery> newDeliveries) {
        if (events.containsKey(event.id())) {
            throw new StoreException("event id already exists");
        }
        Set<String> ids = new HashSet<>();
        for (Delivery d : newDeliveries) {
            if (deliveries.containsKey(d.id()) || !ids.add(d.id())) {
                throw new StoreException("delivery id already exists");
            }
        }
        events.put(event.id(), event);
        if (event.idempotencyKey() != null) {
            idempotencyKeys.put(event.tenant() + '\u0000' + event.idempotencyKey(), event.id());
        }
        for (Delivery d : newDeliveries) {
            put(new Row(d, null, null));
        }
    }

    @Override
    public Optional<Event> findEvent(String tenant, String eventId) {
        synchronized (lock) {
            return Optional.ofNullable(events.get(eventId)).filter(e -> e.tenant().equals(tenant));
        }
    }

    @Override
    public List<DeliveryTask> claim(Collection<String> deliveryIds, Lease lease, Instant now) {
        synchronized (lock) {
            List<DeliveryTask> claimed = new ArrayList<>();
            for (String id : new HashSet<>(deliveryIds)) {
                Row row = deliveries.get(id);
                if (row != null && isClaimable(row, now)) {
                    claimed.add(claimRow(row, lease, now));
                }
            }
            return claimed;
        }
    }

    @Override
    public List<DeliveryTask> claimDue(Lease lease, Instant now, int limit) {
        synchronized (lock) {
            List<DeliveryTask> claimed = new ArrayList<>();
            Iterator<DueKey> it = claimable.iterator();
            List<Row> picked = new ArrayList<>();
            while (it.hasNext() && picked.size() < limit) {
                DueKey key = it.next();
                if (key.at().isAfter(now)) {
                    break;
                }
                picked.add(deliveries.get(key.id()));
            }
            for (Row row : picked) {
                claimed.add(claimRow(row, lease, now));
            }
            return claimed;
        }
    }

    private static boolean isClaimable(Row row, Instant now) {
        Delivery d = row.delivery();
        return (d.status() == DeliveryStatus.SCHEDULED && !d.nextAttemptAt().isAfter(now))
                || (d.status() == DeliveryStatus.IN_FLIGHT && !row.leaseUntil().isAfter(now));
    }

    private DeliveryTask claimRow(Row row, Lease lease, Instant now) {
        Delivery d = row.delivery();
        Delivery inFlight = new Delivery(d.id(), d.tenant(), d.eventId(), d.eventType(), d.endpointId(),
                DeliveryStatus.IN_FLIGHT, d.attempts(), d.nextAttemptAt(), d.lastError(), d.createdAt(), now);
        put(new Row(inFlight, lease.owner(), lease.until()));
        return new DeliveryTask(inFlight, events.get(d.eventId()));
    }

    @Override
    public Set<String> record(List<Outcome> outcomes) {
        synchronized (lock) {
            Set<String> applied = new HashSet<>();
            for (Outcome o : outcomes) {
                Row row = deliveries.get(o.deliveryId());
                if (row == null || row.delivery().status() != DeliveryStatus.IN_FLIGHT
                        || !o.leaseOwner().equals(row.leaseOwner())) {
                    continue;
                }
                Delivery d = row.delivery();
                put(new Row(new Delivery(d.id(), d.tenant(), d.eventId(), d.eventType(), d.endpointId(), o.status(),
                        o.attempts(), o.nextAttemptAt(), o.lastError(), d.createdAt(), o.at()), null, null));
                if (o.attempt() != null) {
                    attempts.computeIfAbsent(d.id(), k -> new ArrayList<>()).add(o.attempt());
                }
                applied.add(d.id());
            }
            return applied;
        }
    }

    @Override
    public void release(Collection<String> deliveryIds, String leaseOwner, Instant now) {
        synchronized (lock) {
            for (String id : deliveryIds) {
                Row row = deliveries.get(id);
                if (row != null && row.delivery().status() == DeliveryStatus.IN_FLIGHT
                        && leaseOwner.equals(row.leaseOwner())) {
                    put(new Row(withState(row.delivery(), DeliveryStatus.SCHEDULED, now), null, null));
                }
            }
        }
    }

    private static Delivery withState(Delivery d, DeliveryStatus status, Instant now) {
        return new Delivery(d.id(), d.tenant(), d.eventId(), d.eventType(), d.endpointId(), status, d.attempts(), now,
                d.lastError(), d.createdAt(), now);
    }

    /** Stores a row and keeps the claimable index in step with it. */
    private void put(Row row) {
        Row old = deliveries.put(row.delivery().id(), row);
        DueKey oldKey = old == null ? null : indexKey(old);
        if (oldKey != null) {
            claimable.remove(oldKey);
        }
        DueKey key = indexKey(row);
        if (key != null) {
            claimable.add(key);
        }
    }

    private static DueKey indexKey(Row row) {
        Delivery d = row.delivery();
        return switch (d.status()) {
            case SCHEDULED -> new DueKey(d.nextAttemptAt(), d.id());
            case IN_FLIGHT -> new DueKey(row.leaseUntil(), d.id());
            default -> null;
        };
    }

    @Override
    public Optional<Delivery> findDelivery(String tenant, String deliveryId) {
        synchronized (lock) {
            return Optional.ofNullable(deliveries.get(deliveryId)).map(Row::delivery)
                    .filter(d -> d.tenant().equals(tenant));
        }
    }

    @Override
    public Page<Delivery> listDeliveries(DeliveryQuery q) {
        synchronized (lock) {
            NavigableMap<String, Row> view = q.before() == null ? deliveries.descendingMap()
                    : deliveries.headMap(q.before(), false).descendingMap();
            List<Delivery> page = new ArrayList<>();
            for (Row row : view.values()) {
                Delivery d = row.delivery();
                if (d.tenant().equals(q.tenant())
                        && (q.endpointId() == null || q.endpointId().equals(d.endpointId()))
                        && (q.eventId() == null || q.eventId().equals(d.eventId()))
                        && (q.status() == null || q.status() == d.status())) {
                    if (page.size() == q.limit()) {
                        return new Page<>(page, page.get(page.size() - 1).id());
                    }
                    page.add(d);
                }
            }
            return new Page<>(page, null);
        }
    }

    @Override
    public List<Attempt> attempts(String tenant, String deliveryId) {
        synchronized (lock) {
            Row row = deliveries.get(deliveryId);
            if (row == null || !row.delivery().tenant().equals(tenant)) {
                return List.of();
            }
            return List.copyOf(attempts.getOrDefault(deliveryId, List.of()));
        }
    }

    @Override
    public List<String> replay(String tenant, String endpointId, String deliveryId, Instant now) {
        synchronized (lock) {
            List<Row> candidates = deliveryId != null
                    ? Optional.ofNullable(deliveries.get(deliveryId)).stream().toList()
                    : deliveries.values().stream().filter(r -> r.delivery().endpointId().equals(endpointId)).toList();
            List<String> replayed = new ArrayList<>();
            for (Row row : candidates) {
                Delivery d = row.delivery();
                if (d.tenant().equals(tenant) && (endpointId == null || d.endpointId().equals(endpointId))
                        && d.status().isReplayable()) {
                    put(new Row(withState(d, DeliveryStatus.SCHEDULED, now), null, null));
                    replayed.add(d.id());
                }
            }
            return replayed;
        }
    }

    @Override
    public Map<DeliveryStatus, Long> countByStatus() {
        synchronized (lock) {
            Map<DeliveryStatus, Long> counts = new EnumMap<>(DeliveryStatus.class);
            for (DeliveryStatus s : DeliveryStatus.values()) {
                counts.put(s, 0L);
            }
            for (Row row : deliveries.values()) {
                counts.merge(row.delivery().status(), 1L, Long::sum);
            }
            return counts;
        }
    }

    @Override
    public Optional<Instant> oldestDue() {
        synchronized (lock) {
            for (DueKey key : claimable) {
                if (deliveries.get(key.id()).delivery().status() == DeliveryStatus.SCHEDULED) {
                    return Optional.of(key.at());
                }
            }
            return Optional.empty();
        }
    }

    @Override
    public int purge(Instant before, int limit) {
        synchronized (lock) {
            List<String> doomed = new ArrayList<>();
            for (Row row : deliveries.values()) {
                Delivery d = row.delivery();
                if (doomed.size() < limit && d.status().isFinal() && d.updatedAt().isBefore(before)) {
                    doomed.add(d.id());
                }
            }
            Set<String> touchedEvents = new HashSet<>();
            for (String id : doomed) {
                touchedEvents.add(deliveries.remove(id).delivery().eventId());
                attempts.remove(id);
            }
            if (!touchedEvents.isEmpty()) {
                Set<String> stillUsed = new HashSet<>();
                for (Row row : deliveries.values()) {
                    stillUsed.add(row.delivery().eventId());
                }
                for (String eventId : touchedEvents) {
                    if (!stillUsed.contains(eventId)) {
                        Event gone = events.remove(eventId);
                        if (gone != null && gone.idempotencyKey() != null) {
                            idempotencyKeys.remove(gone.tenant() + '\u0000' + gone.idempotencyKey());
                        }
                    }
                }
            }
            return doomed.size();
        }
    }

    // ---- uploads ----

    @Override
    public void insertUploads(List<Upload> list) {
        synchronized (lock) {
            for (Upload u : list) {
                if (uploads.containsKey(u.id())) {
                    throw new StoreException("upload id already exists");
                }
            }
            for (Upload u : list) {
                uploads.put(u.id(), u);
            }
        }
    }

    @Override
    public Optional<Upload> findUpload(String uploadId) {
        synchronized (lock) {
            return Optional.ofNullable(uploads.get(uploadId));
        }
    }

    @Override
    public List<Upload> uploadsOfBatch(String tenant, String batchId) {
        synchronized (lock) {
            return uploads.values().stream()
                    .filter(u -> u.tenant().equals(tenant) && Objects.equals(batchId, u.batchId())).toList();
        }
    }

    @Override
    public List<Upload> uploadsOf(String bucket, String key) {
        synchronized (lock) {
            return uploads.values().stream()
                    .filter(u -> u.bucket().equals(bucket) && u.key().equals(key) && !u.status().isFinal()).toList();
        }
    }

    @Override
    public List<Upload> dueUploads(Instant now, int limit) {
        synchronized (lock) {
            return uploads.values().stream()
                    .filter(u -> !u.status().isFinal() && u.nextCheckAt() != null && !u.nextCheckAt().isAfter(now))
                    .sorted((a, b) -> a.nextCheckAt().compareTo(b.nextCheckAt()))
                    .limit(limit).toList();
        }
    }

    @Override
    public boolean updateUpload(Upload next) {
        synchronized (lock) {
            Upload current = uploads.get(next.id());
            if (current == null || current.version() != next.version() - 1) {
                return false;
            }
            uploads.put(next.id(), next);
            return true;
        }
    }

    @Override
    public boolean updateUploadAndPublish(Upload next, Event event, List<Delivery> newDeliveries) {
        synchronized (lock) {
            Upload current = uploads.get(next.id());
            if (current == null || current.version() != next.version() - 1 || earlierEvent(event) != null) {
                return false;
            }
            storeEvent(event, newDeliveries);
            uploads.put(next.id(), next);
            return true;
        }
    }
}
