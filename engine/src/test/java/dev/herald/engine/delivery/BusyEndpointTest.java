package dev.herald.engine.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import dev.herald.engine.EndpointRequest;
import dev.herald.engine.EventRequest;
import dev.herald.engine.Herald;
import dev.herald.engine.HeraldBuilder;
import dev.herald.engine.http.UrlPolicy;
import dev.herald.engine.memory.InMemoryDeliveryStore;
import dev.herald.engine.model.DeliveryStatus;
import dev.herald.engine.spi.DeliveryStore;
import dev.herald.engine.spi.Outcome;
import dev.herald.engine.spi.Transport;
import dev.herald.engine.spi.TransportRequest;
import dev.herald.engine.spi.TransportResult;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An endpoint whose bulkhead is full: what waits in its line stays out of the store, the rest comes back
 * ever later, nothing is lost or sent twice, and its neighbours do not notice.
 */
class BusyEndpointTest {
    private static final String TENANT = "acme";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String STUCK = "http://127.0.0.1:9/stuck";
    private static final String HEALTHY = "http://127.0.0.1:9/healthy";
    /** The stuck endpoint's bulkhead, so also its line. */
    private static final int SLOTS = 2;
    private static final int DELIVERIES = 40;

    private final InMemoryDeliveryStore memory = new InMemoryDeliveryStore();
    /** Outcomes written back with no attempt: deliveries a guard sent back to the store. */
    private final AtomicInteger deferrals = new AtomicInteger();
    private final DeliveryStore store = countingDeferrals(memory);
    private final List<Herald> engines = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        engines.forEach(Herald::close);
    }

    private DeliveryStore countingDeferrals(DeliveryStore delegate) {
        return (DeliveryStore) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{DeliveryStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("record")) {
                        @SuppressWarnings("unchecked")
                        List<Outcome> outcomes = (List<Outcome>) args[0];
                        outcomes.stream().filter(o -> o.status() == DeliveryStatus.SCHEDULED && o.attempt() == null)
                                .forEach(o -> deferrals.incrementAndGet());
                    }
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private Herald started(GatedTransport transport) {
        HeraldBuilder builder = Herald.builder().store(store).urlPolicy(UrlPolicy.permissive()).transport(transport)
                .maxInFlight(64).requestTimeout(Duration.ofSeconds(5)).lease(Duration.ofSeconds(60))
                .sweepInterval(Duration.ofMillis(50)).shutdownTimeout(Duration.ofMillis(200));
        Herald herald = builder.build().start();
        engines.add(herald);
        return herald;
    }

    private List<String> publish(Herald herald, String type, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.addAll(herald.publish(EventRequest.of(TENANT, type, "{\"i\":" + i + "}")).deliveryIds());
        }
        return ids;
    }

    private Herald engineWithStuckEndpoint(GatedTransport transport) {
        Herald herald = started(transport);
        herald.createEndpoint(TENANT, new EndpointRequest(STUCK, Set.of("stuck.thing"), null, null, null, true,
                SLOTS, 0));
        herald.createEndpoint(TENANT, EndpointRequest.of(HEALTHY, "healthy.thing"));
        return herald;
    }

    private long countIn(Herald herald, List<String> ids, DeliveryStatus status) {
        return ids.stream().filter(id -> herald.delivery(TENANT, id).status() == status).count();
    }

    @Test
    void aStuckEndpointSendsItsDeliveriesBackToTheStoreRarely() {
        GatedTransport transport = new GatedTransport();
        Herald herald = engineWithStuckEndpoint(transport);

        publish(herald, "stuck.thing", DELIVERIES);

        // Deferred every 200 ms, as before the line, the 38 deliveries beyond the bulkhead would be written
        // back about 12 times each in this window: some 450 writes. Now 2 wait in memory and each of the
        // others is written back about once, the few that come back being refused again for longer.
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5))
                .untilAtomic(deferrals, lessThanOrEqualTo(2 * DELIVERIES));
        assertThat(transport.calls(STUCK)).isEqualTo(SLOTS);
        assertThat(deferrals.get()).isGreaterThanOrEqualTo(DELIVERIES - 2 * SLOTS);
    }

    @Test
    void onceTheEndpointAnswersEveryDeliveryArrivesExactlyOnce() {
        GatedTransport transport = new GatedTransport();
        Herald herald = engineWithStuckEndpoint(transport);
        List<String> ids = publish(herald, "stuck.thing", DELIVERIES);
        await().atMost(WAIT).until(() -> deferrals.get() >= DELIVERIES - 2 * SLOTS);

        transport.open();

        await().atMost(WAIT).until(() -> countIn(herald, ids, DeliveryStatus.SUCCEEDED) == DELIVERIES);
        assertThat(transport.sent(STUCK)).containsOnlyKeys(ids).allSatisfy((id, times) -> assertThat(times).hasValue(1));
        assertThat(transport.mostAtOnce(STUCK)).isEqualTo(SLOTS);
    }

    @Test
    void aHealthyEndpointBesideTheStuckOneKeepsDelivering() {
        GatedTransport transport = new GatedTransport();
        Herald herald = engineWithStuckEndpoint(transport);
        publish(herald, "stuck.thing", DELIVERIES);
        await().atMost(WAIT).until(() -> deferrals.get() >= DELIVERIES - 2 * SLOTS);

        List<String> healthy = publish(herald, "healthy.thing", DELIVERIES);

        await().atMost(WAIT).until(() -> countIn(herald, healthy, DeliveryStatus.SUCCEEDED) == DELIVERIES);
        assertThat(transport.calls(HEALTHY)).isEqualTo(DELIVERIES);
        assertThat(transport.calls(STUCK)).isEqualTo(SLOTS);
    }

    @Test
    void closingWithDeliveriesInLineLosesNone() {
        GatedTransport never = new GatedTransport();
        Herald first = engineWithStuckEndpoint(never);
        List<String> ids = publish(first, "stuck.thing", DELIVERIES);
        // Two requests hang, two deliveries wait in line (claimed, so IN_FLIGHT in the store), the rest
        // went back to the store.
        await().atMost(WAIT).until(() -> never.calls(STUCK) == SLOTS
                && countIn(first, ids, DeliveryStatus.IN_FLIGHT) == 2L * SLOTS
                && countIn(first, ids, DeliveryStatus.SCHEDULED) == DELIVERIES - 2L * SLOTS);

        first.close();

        assertThat(countIn(first, ids, DeliveryStatus.IN_FLIGHT)).isZero();
        GatedTransport answering = new GatedTransport();
        answering.open();
        Herald second = started(answering);
        await().atMost(WAIT).until(() -> countIn(second, ids, DeliveryStatus.SUCCEEDED) == DELIVERIES);
        assertThat(answering.sent(STUCK)).containsOnlyKeys(ids);
    }

    /** Answers 200, but holds every request to {@link #STUCK} until {@link #open()}. */
    private static final class GatedTransport implements Transport {
        private final CompletableFuture<Void> gate = new CompletableFuture<>();
        private final Map<String, Map<String, AtomicInteger>> sent = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> atOnce = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> most = new ConcurrentHashMap<>();

        @Override
        public CompletableFuture<TransportResult> send(TransportRequest request) {
            String url = request.url().toString();
            sent.computeIfAbsent(url, u -> new ConcurrentHashMap<>())
                    .computeIfAbsent(request.headers().get("webhook-id"), id -> new AtomicInteger()).incrementAndGet();
            int now = atOnce.computeIfAbsent(url, u -> new AtomicInteger()).incrementAndGet();
            most.computeIfAbsent(url, u -> new AtomicInteger()).accumulateAndGet(now, Math::max);
            CompletableFuture<Void> wait = url.equals(STUCK) ? gate : CompletableFuture.completedFuture(null);
            return wait.thenApply(v -> {
                atOnce.get(url).decrementAndGet();
                return new TransportResult.Responded(200, Map.of(), "", Duration.ofMillis(1));
            });
        }

        void open() {
            gate.complete(null);
        }

        Map<String, AtomicInteger> sent(String url) {
            return sent.getOrDefault(url, Map.of());
        }

        int calls(String url) {
            return sent(url).values().stream().mapToInt(AtomicInteger::get).sum();
        }

        int mostAtOnce(String url) {
            return most.getOrDefault(url, new AtomicInteger()).get();
        }
    }
}
