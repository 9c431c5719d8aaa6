package dev.herald.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.engine.delivery.DispatchSettings;
import dev.herald.engine.delivery.Dispatcher;
import dev.herald.engine.delivery.EndpointDirectory;
import dev.herald.engine.delivery.ResilientQueue;
import dev.herald.engine.http.NettyTransport;
import dev.herald.engine.http.UrlPolicy;
import dev.herald.engine.memory.InMemoryDeliveryStore;
import dev.herald.engine.memory.InProcessDeliveryQueue;
import dev.herald.engine.model.Attempt;
import dev.herald.engine.model.Delivery;
import dev.herald.engine.model.Endpoint;
import dev.herald.engine.model.EndpointSecret;
import dev.herald.engine.model.Event;
import dev.herald.engine.model.Ids;
import dev.herald.engine.model.Upload;
import dev.herald.engine.signing.SigningKey;
import dev.herald.engine.spi.DeliveryQuery;
import dev.herald.engine.spi.DeliveryQueue;
import dev.herald.engine.spi.DeliveryStore;
import dev.herald.engine.spi.Page;
import dev.herald.engine.spi.QueuedDelivery;
import dev.herald.engine.spi.StoreException;
import dev.herald.engine.spi.Transport;
import dev.herald.engine.upload.UploadEngine;
import dev.herald.engine.upload.UploadHost;
import dev.herald.engine.upload.Uploads;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The engine behind {@link Herald}: validates, stores, fans out, and owns the dispatcher. */
final class DefaultHerald implements Herald {
    private static final Logger log = LoggerFactory.getLogger(DefaultHerald.class);
    private static final Duration MAX_GRACE = Duration.ofDays(7);

    private final DeliveryStore store;
    private final ResilientQueue queue;
    private final Transport transport;
    private final boolean ownsTransport;
    private final ExecutorService ownedExecutor;
    private final Clock clock;
    private final RandomGenerator random;
    private final Ids ids;
    private final Requests requests;
    private final EndpointDirectory directory;
    private final Coalescer coalescer;
    private final Dispatcher dispatcher;
    private final boolean operationalEvents;
    private final String instanceId;
    private final UploadEngine uploadEngine;

    DefaultHerald(HeraldBuilder b) {
        this.clock = b.clock;
        this.random = b.random != null ? b.random : new SecureRandom();
        this.ids = new Ids(clock, random);
        if (b.store == null) {
            log.warn("Herald is using the in-memory store: pending webhooks are lost when the process stops");
        }
        this.store = b.store != null ? b.store : new InMemoryDeliveryStore();
        this.queue = new ResilientQueue(b.queue != null ? b.queue : InProcessDeliveryQueue.builder().clock(clock).build());
        UrlPolicy urlPolicy = b.urlPolicy;
        this.ownsTransport = b.transport == null;
        this.transport = b.transport != null ? b.transport : NettyTransport.builder().urlPolicy(urlPolicy).build();
        this.ownedExecutor = b.executor == null ? Executors.newFixedThreadPool(b.workerThreads, daemonThreads())
                : null;
        Executor executor = b.executor != null ? b.executor : ownedExecutor;
        this.requests = new Requests(urlPolicy, b.eventTypes, b.maxPayloadBytes);
        this.directory = new EndpointDirectory(store);
        this.coalescer = new Coalescer(b.coalescing, clock, this::publishNow);
        this.operationalEvents = b.operationalEvents;
        List<HeraldListener> listeners = new ArrayList<>(b.listeners);
        if (operationalEvents) {
            listeners.add(new OperationalEvents());
        }
        this.instanceId = b.instanceId != null ? b.instanceId : HeraldBuilder.defaultInstanceId();
        this.dispatcher = new Dispatcher(new DispatchSettings(store, queue, transport, directory, b.retryPolicy,
                new Listeners(listeners), clock, random, ids, executor, instanceId, b.maxInFlight,
                b.endpointMaxInFlight, b.batchSize, b.requestTimeout, b.lease, b.sweepInterval, b.shutdownTimeout,
                b.circuitFailures, b.circuitDelay));
        this.uploadEngine = b.uploadSettings != null ? UploadEngine.create(new UploadSeam(), b.uploadSettings) : null;
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "herald-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    // ---- endpoints ----

    @Override
    public Endpoint createEndpoint(String tenant, EndpointRequest request) {
        Instant now = clock.instant();
        String secret = request.secret() != null ? requests.secret(request.secret()) : SigningKey.generate(random);
        Endpoint endpoint = requests.endpoint(tenant, ids.next(Ids.ENDPOINT), request,
                List.of(new EndpointSecret(secret, null)), false, now, now);
        guarded(() -> {
            store.insertEndpoint(endpoint);
            return null;
        });
        directory.invalidate(tenant, endpoint.id());
        return endpoint;
    }

    @Override
    public Endpoint updateEndpoint(String tenant, String endpointId, EndpointRequest request) {
        Endpoint current = endpoint(tenant, endpointId);
        List<EndpointSecret> secrets = request.secret() != null
                ? List.of(new EndpointSecret(requests.secret(request.secret()), null)) : current.secrets();
        Endpoint next = requests.endpoint(tenant, endpointId, request, secrets, current.adHoc(), current.createdAt(),
                clock.instant());
        return replace(next);
    }

    private Endpoint replace(Endpoint next) {
        if (!guarded(() -> store.updateEndpoint(next))) {
            throw notFound(ErrorCode.ENDPOINT_NOT_FOUND, "endpoint", next.id());
        }
        directory.invalidate(next.tenant(), next.id());
        return next;
    }

    @Override
    public Endpoint endpoint(String tenant, String endpointId) {
        requests.tenant(tenant);
        return guarded(() -> store.findEndpoint(tenant, endpointId))
                .orElseThrow(() -> notFound(ErrorCode.ENDPOINT_NOT_FOUND, "endpoint", endpointId));
    }

    @Override
    public Page<Endpoint> endpoints(String tenant, String cursor, int limit) {
        requests.tenant(tenant);
        return guarded(() -> store.listEndpoints(tenant, cursor, pageSize(limit)));
    }

    @Override
    public Endpoint setEndpointEnabled(String tenant, String endpointId, boolean enabled) {
        return replace(endpoint(tenant, endpointId).withEnabled(enabled, clock.instant()));
    }

    @Override
    public void deleteEndpoint(String tenant, String endpointId) {
        requests.tenant(tenant);
        if (!guarded(() -> store.deleteEndpoint(tenant, endpointId))) {
            throw notFound(ErrorCode.ENDPOINT_NOT_FOUND, "endpoint", endpointId);
        }
        directory.invalidate(tenant, endpointId);
    }

    @Override
    public Endpoint rotateSecret(String tenant, String endpointId, Duration grace) {
        if (grace == null || grace.isNegative() || grace.compareTo(MAX_GRACE) > 0) {
            throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "grace must be within [0, 7 days]");
        }
        Endpoint current = endpoint(tenant, endpointId);
        Instant now = clock.instant();
        List<EndpointSecret> secrets = new ArrayList<>();
        secrets.add(new EndpointSecret(SigningKey.generate(random), null));
        Instant oldUntil = now.plus(grace);
        for (EndpointSecret old : current.signingSecrets(now)) {
            Instant until = old.expiresAt() == null || old.expiresAt().isAfter(oldUntil) ? oldUntil : old.expiresAt();
            if (until.isAfter(now)) {
                secrets.add(new EndpointSecret(old.value(), until));
            }
        }
        return replace(current.withSecrets(secrets, now));
    }

    @Override
    public PublishResult sendTestEvent(String tenant, String endpointId) {
        ObjectNode data = Requests.json().createObjectNode();
        data.put("message", "A test event from Herald.");
        data.put("endpointId", endpointId);
        return publishTo(endpointId, EventRequest.of(tenant, EventTypes.TEST, data.toString()));
    }

    // ---- events ----

    @Override
    public PublishResult publish(EventRequest request) {
        String eventId = ids.next(Ids.EVENT);
        if (coalescer.coalesces(request)) {
            // Validate now, so a held event cannot fail later where nobody hears about it.
            requests.event(request, eventId, clock.instant());
            return coalescer.submit(request, eventId);
        }
        return publishNow(request, eventId);
    }

    private PublishResult publishNow(EventRequest request, String eventId) {
        Instant now = clock.instant();
        Event event = requests.event(request, eventId, now);
        List<Endpoint> targets = guarded(() -> directory.fanOutEndpoints(event.tenant())).stream()
                .filter(e -> e.subscribesTo(event.type())).toList();
        return store(event, targets, now);
    }

    @Override
    public PublishResult publishTo(String endpointId, EventRequest request) {
        Endpoint target = endpoint(request.tenant(), endpointId);
        Instant now = clock.instant();
        return store(requests.event(request, ids.next(Ids.EVENT), now), List.of(target), now);
    }

    private PublishResult store(Event event, List<Endpoint> targets, Instant now) {
        List<Delivery> deliveries = new ArrayList<>(targets.size());
        for (Endpoint target : targets) {
            deliveries.add(Delivery.scheduled(ids.next(Ids.DELIVERY), event, target.id(), now, now));
        }
        String storedId = guarded(() -> store.publish(event, deliveries));
        if (!storedId.equals(event.id())) {
            return new PublishResult(storedId, List.of(), true);
        }
        offer(deliveries.stream().map(Delivery::id).toList(), now);
        return new PublishResult(event.id(), deliveries.stream().map(Delivery::id).toList(), false);
    }

    private void offer(List<String> deliveryIds, Instant dueAt) {
        // Stored is what counts: if the queue does not take them, the workers' store sweep delivers them.
        queue.offer(deliveryIds.stream().map(id -> new QueuedDelivery(id, dueAt)).toList());
    }

    @Override
    public Event event(String tenant, String eventId) {
        requests.tenant(tenant);
        return guarded(() -> store.findEvent(tenant, eventId))
                .orElseThrow(() -> notFound(ErrorCode.EVENT_NOT_FOUND, "event", eventId));
    }

    // ---- deliveries ----

    @Override
    public Delivery delivery(String tenant, String deliveryId) {
        requests.tenant(tenant);
        return guarded(() -> store.findDelivery(tenant, deliveryId))
                .orElseThrow(() -> notFound(ErrorCode.DELIVERY_NOT_FOUND, "delivery", deliveryId));
    }

    @Override
    public List<Attempt> attempts(String tenant, String deliveryId) {
        delivery(tenant, deliveryId);
        return guarded(() -> store.attempts(tenant, deliveryId));
    }

    @Override
    public Page<Delivery> deliveries(DeliveryQuery query) {
        requests.tenant(query.tenant());
        return guarded(() -> store.listDeliveries(query));
    }

    @Override
    public Delivery replay(String tenant, String deliveryId) {
        Delivery current = delivery(tenant, deliveryId);
        if (!current.status().isReplayable()) {
            throw new HeraldException(ErrorCode.NOT_REPLAYABLE,
                    "delivery " + deliveryId + " is " + current.status() + "; only FAILED or DEAD ones can be replayed");
        }
        Instant now = clock.instant();
        List<String> replayed = guarded(() -> store.replay(tenant, null, deliveryId, now));
        offer(replayed, now);
        return delivery(tenant, deliveryId);
    }

    @Override
    public List<String> replayEndpoint(String tenant, String endpointId) {
        endpoint(tenant, endpointId);
        Instant now = clock.instant();
        List<String> replayed = guarded(() -> store.replay(tenant, endpointId, null, now));
        offer(replayed, now);
        return replayed;
    }

    // ---- uploads ----

    @Override
    public Uploads uploads() {
        if (uploadEngine == null) {
            throw new IllegalStateException("uploads are not configured: build the engine with HeraldBuilder.uploads(...)");
        }
        return uploadEngine.uploads();
    }

    // ---- running ----

    @Override
    public Herald start() {
        dispatcher.start();
        if (uploadEngine != null) {
            uploadEngine.start("herald-uploads-" + instanceId);
        }
        return this;
    }

    @Override
    public void close() {
        if (uploadEngine != null) {
            uploadEngine.close();
        }
        coalescer.close();
        dispatcher.close();
        if (ownsTransport) {
            transport.close();
        }
        if (ownedExecutor != null) {
            ownedExecutor.shutdown();
        }
    }

    // ---- helpers ----

    private static int pageSize(int limit) {
        if (limit < 1 || limit > 1000) {
            throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "limit must be within [1, 1000]");
        }
        return limit;
    }

    private static HeraldException notFound(ErrorCode code, String what, String id) {
        return new HeraldException(code, "no " + what + " " + id);
    }

    /** Runs a store call, turning store trouble into {@link ErrorCode#STORE_UNAVAILABLE}. */
    private static <T> T guarded(Supplier<T> call) {
        try {
            return call.get();
        } catch (StoreException e) {
            throw new HeraldException(ErrorCode.STORE_UNAVAILABLE, "the store is unavailable; nothing was stored", e);
        }
    }

    /**
     * What the upload side needs from the engine: one event and its single delivery to the upload's
     * endpoint, written in the same transaction as the upload's change, then offered to the queue.
     */
    private final class UploadSeam implements UploadHost {
        @Override
        public DeliveryStore store() {
            return store;
        }

        @Override
        public Clock clock() {
            return clock;
        }

        @Override
        public Ids ids() {
            return ids;
        }

        @Override
        public void checkTenant(String tenant) {
            requests.tenant(tenant);
        }

        @Override
        public Endpoint endpoint(String tenant, String endpointId) {
            return DefaultHerald.this.endpoint(tenant, endpointId);
        }

        @Override
        public Endpoint adHocEndpoint(String tenant, String url, String secret) {
            Instant now = clock.instant();
            String s = secret != null ? requests.secret(secret) : SigningKey.generate(random);
            EndpointRequest r = new EndpointRequest(url, Set.of(), "ad-hoc upload webhook", null, null,
                    true, 0, 0);
            return requests.endpoint(tenant, ids.next(Ids.ENDPOINT), r, List.of(new EndpointSecret(s, null)), true,
                    now, now);
        }

        @Override
        public void insertEndpoint(Endpoint endpoint) {
            guarded(() -> {
                store.insertEndpoint(endpoint);
                return null;
            });
            directory.invalidate(endpoint.tenant(), endpoint.id());
        }

        @Override
        public void deleteEndpoint(Endpoint endpoint) {
            store.deleteEndpoint(endpoint.tenant(), endpoint.id());
            directory.invalidate(endpoint.tenant(), endpoint.id());
        }

        @Override
        public boolean publishWithUpload(Upload next, String eventId, String type, String data,
                                         String idempotencyKey) {
            Instant now = clock.instant();
            Event event = requests.event(new EventRequest(next.tenant(), type, data, next.id(), idempotencyKey, now),
                    eventId, now);
            Delivery delivery = Delivery.scheduled(ids.next(Ids.DELIVERY), event, next.endpointId(), now, now);
            if (!store.updateUploadAndPublish(next, event, List.of(delivery))) {
                return false;
            }
            offer(List.of(delivery.id()), now);
            return true;
        }

        @Override
        public boolean publishTo(String tenant, String endpointId, String eventId, String type, String data,
                                 String idempotencyKey) {
            Instant now = clock.instant();
            Event event = requests.event(new EventRequest(tenant, type, data, null, idempotencyKey, now), eventId,
                    now);
            Delivery delivery = Delivery.scheduled(ids.next(Ids.DELIVERY), event, endpointId, now, now);
            if (!store.publish(event, List.of(delivery)).equals(event.id())) {
                return false;
            }
            offer(List.of(delivery.id()), now);
            return true;
        }
    }

    /** Publishes {@code delivery.dead} and {@code endpoint.disabled} to endpoints that name them. */
    private final class OperationalEvents implements HeraldListener {
        @Override
        public void deliveryDead(Delivery delivery, Attempt attempt) {
            if (delivery.eventType().equals(EventTypes.DELIVERY_DEAD)
                    || delivery.eventType().equals(EventTypes.ENDPOINT_DISABLED)) {
                return; // never announce the death of an announcement: that could loop
            }
            ObjectNode data = Requests.json().createObjectNode();
            data.put("deliveryId", delivery.id());
            data.put("eventId", delivery.eventId());
            data.put("eventType", delivery.eventType());
            data.put("endpointId", delivery.endpointId());
            data.put("attempts", delivery.attempts());
            data.put("lastError", delivery.lastError());
            announce(delivery.tenant(), EventTypes.DELIVERY_DEAD, data, delivery.endpointId());
        }

        @Override
        public void endpointDisabled(Endpoint endpoint, String reason) {
            ObjectNode data = Requests.json().createObjectNode();
            data.put("endpointId", endpoint.id());
            data.put("url", endpoint.url().toString());
            data.put("reason", reason);
            announce(endpoint.tenant(), EventTypes.ENDPOINT_DISABLED, data, endpoint.id());
        }

        private void announce(String tenant, String type, ObjectNode data, String aboutEndpoint) {
            for (Endpoint e : directory.fanOutEndpoints(tenant)) {
                if (e.eventTypes().contains(type) && !e.id().equals(aboutEndpoint)) {
                    publishTo(e.id(), EventRequest.of(tenant, type, data.toString()));
                }
            }
        }
    }

    /** Calls each listener in turn; one failing does not stop the others. */
    private record Listeners(List<HeraldListener> all) implements HeraldListener {
        Listeners {
            all = List.copyOf(all);
        }

        @Override
        public void deliverySucceeded(Delivery delivery, Attempt attempt) {
            each(l -> l.deliverySucceeded(delivery, attempt));
        }

        @Override
        public void deliveryRetrying(Delivery delivery, Attempt attempt) {
            each(l -> l.deliveryRetrying(delivery, attempt));
        }

        @Override
        public void deliveryFailed(Delivery delivery, Attempt attempt) {
            each(l -> l.deliveryFailed(delivery, attempt));
        }

        @Override
        public void deliveryDead(Delivery delivery, Attempt attempt) {
            each(l -> l.deliveryDead(delivery, attempt));
        }

        @Override
        public void endpointDisabled(Endpoint endpoint, String reason) {
            each(l -> l.endpointDisabled(endpoint, reason));
        }

        private void each(java.util.function.Consumer<HeraldListener> call) {
            for (HeraldListener l : all) {
                try {
                    call.accept(l);
                } catch (RuntimeException e) {
                    log.warn("A Herald listener failed: {}", e.toString());
                }
            }
        }
    }
}
