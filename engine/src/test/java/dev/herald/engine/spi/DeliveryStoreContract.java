package dev.herald.engine.spi;

import static dev.herald.engine.spi.StoreFixtures.T0;
import static dev.herald.engine.spi.StoreFixtures.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.engine.model.Attempt;
import dev.herald.engine.model.Delivery;
import dev.herald.engine.model.DeliveryStatus;
import dev.herald.engine.model.Endpoint;
import dev.herald.engine.model.EndpointSecret;
import dev.herald.engine.model.Event;
import dev.herald.engine.model.Ids;
import dev.herald.engine.model.Upload;
import dev.herald.engine.model.UploadStatus;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The promises every {@link DeliveryStore} keeps, written against the interface's documentation only.
 * A backend's test extends this class and supplies a fresh, empty store; every test starts on one.
 *
 * <p>Beyond reads and writes it checks the hard promises: tenant scoping, all-or-nothing publishes,
 * idempotency keys, that no delivery is claimed twice by concurrent claimers, that an expired lease is
 * claimable again, that a worker who lost its lease cannot record, and that a stale upload version is
 * refused. Instants are whole milliseconds (see {@link StoreFixtures}), so values compare exactly after
 * a round trip through a store that keeps microseconds.
 */
public abstract class DeliveryStoreContract {
    protected static final String TENANT = "tenant-a";
    protected static final String OTHER = "tenant-b";

    /** The store under test, fresh for each test. */
    protected DeliveryStore store;
    /** Test data for this test. */
    protected StoreFixtures fx;

    /** A new, empty store. Called once before each test. */
    protected abstract DeliveryStore newStore();

    /** Releases what {@link #newStore()} made. The default closes the store. */
    protected void cleanup(DeliveryStore store) {
        store.close();
    }

    /**
     * Threads used by the concurrency checks. A backend that cannot serve concurrent callers at all
     * returns 1; the checks then still run, sequentially.
     */
    protected int claimThreads() {
        return 4;
    }

    @BeforeEach
    void openStore() {
        fx = new StoreFixtures();
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            cleanup(store);
        }
    }

    // ---- endpoints ------------------------------------------------------------------------------

    @Test
    void endpointRoundTripsWithEverySetting() {
        Endpoint e = fx.endpoint(TENANT);
        store.insertEndpoint(e);

        Endpoint read = store.findEndpoint(TENANT, e.id()).orElseThrow();
        assertThat(read).isEqualTo(e);
        assertThat(read.secrets()).containsExactlyElementsOf(e.secrets());
        assertThat(read.secrets().get(1).expiresAt()).isEqualTo(T0.plus(Duration.ofHours(24)));
        assertThat(read.secrets().get(0).value()).isEqualTo("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        assertThat(read.headers()).containsEntry("X-Team", "storage");
    }

    @Test
    void endpointWithNoSecretsFilterOrHeadersRoundTrips() {
        Endpoint e = fx.endpoint(TENANT);
        Endpoint bare = new Endpoint(e.id(), TENANT, URI.create("http://127.0.0.1:8080/x?a=b&c=d"), List.of(),
                Set.of(), false, null, Map.of(), 0, 0, false, T0, T0);
        store.insertEndpoint(bare);
        assertThat(store.findEndpoint(TENANT, e.id())).contains(bare);
    }

    @Test
    void endpointOfAnotherTenantReadsAsAbsent() {
        Endpoint e = fx.endpoint(TENANT);
        store.insertEndpoint(e);

        assertThat(store.findEndpoint(OTHER, e.id())).isEmpty();
        Endpoint hijack = new Endpoint(e.id(), OTHER, URI.create("https://evil.example/"), List.of(), Set.of(), true,
                "", Map.of(), 0, 0, false, T0, T0);
        assertThat(store.updateEndpoint(hijack)).isFalse();
        assertThat(store.deleteEndpoint(OTHER, e.id())).isFalse();
        assertThat(store.findEndpoint(TENANT, e.id())).contains(e);
        assertThat(store.listEndpoints(OTHER, null, 10).items()).isEmpty();
        assertThat(store.fanOutEndpoints(OTHER)).isEmpty();
    }

    @Test
    void insertingAnEndpointIdTwiceIsRefused() {
        Endpoint e = fx.endpoint(TENANT);
        store.insertEndpoint(e);
        Endpoint again = fx.endpoint(TENANT);
        Endpoint sameId = new Endpoint(e.id(), TENANT, again.url(), again.secrets(), again.eventTypes(), true,
                "other", Map.of(), 0, 0, false, T0, T0);

        assertThatThrownBy(() -> store.insertEndpoint(sameId)).isInstanceOf(StoreException.class);
        assertThat(store.findEndpoint(TENANT, e.id())).contains(e);
    }

    @Test
    void updateEndpointReplacesEverySetting() {
        Endpoint e = fx.endpoint(TENANT);
        store.insertEndpoint(e);
        Endpoint changed = new Endpoint(e.id(), TENANT, URI.create("https://receiver.example/v2"),
                List.of(new EndpointSecret("whsec_bmV3IHNlY3JldCB2YWx1ZSBoZXJl", null),
                        new EndpointSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", at(3600))),
                Set.of("*"), false, "renamed", Map.of("X-New", "1"), 2, 5, false, e.createdAt(), at(60));

        assertThat(store.updateEndpoint(changed)).isTrue();
        assertThat(store.findEndpoint(TENANT, e.id())).contains(changed);

        Endpoint unknown = fx.endpoint(TENANT);
        assertThat(store.updateEndpoint(unknown)).isFalse();
        assertThat(store.findEndpoint(TENANT, unknown.id())).isEmpty();
    }

    @Test
    void deleteEndpointKeepsItsDeliveriesAndLog() {
        Endpoint e = fx.endpoint(TENANT);
        store.insertEndpoint(e);
        Event event = fx.event(TENANT);
        Delivery d = fx.delivery(event, e.id(), T0);
        store.publish(event, List.of(d));
        claimOne(d.id(), "w1", T0);
        store.record(List.of(fx.finish(d.id(), "w1", DeliveryStatus.SUCCEEDED, 1, at(1))));

        assertThat(store.deleteEndpoint(TENANT, e.id())).isTrue();
        assertThat(store.findEndpoint(TENANT, e.id())).isEmpty();
        assertThat(store.deleteEndpoint(TENANT, e.id())).isFalse();
        assertThat(store.findDelivery(TENANT, d.id())).isPresent();
        assertThat(store.attempts(TENANT, d.id())).hasSize(1);
        assertThat(store.listDeliveries(query(TENANT).endpoint(e.id()).build()).items())
                .extracting(Delivery::id).containsExactly(d.id());
    }

    @Test
    void listEndpointsPagesNewestFirstWithoutAdHocOnes() {
        List<Endpoint> mine = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Endpoint e = fx.endpoint(TENANT);
            store.insertEndpoint(e);
            mine.add(e);
            store.insertEndpoint(fx.adHocEndpoint(TENANT));
            store.insertEndpoint(fx.endpoint(OTHER));
        }
        List<String> newestFirst = mine.stream().map(Endpoint::id).sorted((a, b) -> b.compareTo(a)).toList();

        Page<Endpoint> first = store.listEndpoints(TENANT, null, 2);
        assertThat(first.items()).extracting(Endpoint::id).containsExactlyElementsOf(newestFirst.subList(0, 2));
        assertThat(first.nextCursor()).isNotNull();
        Page<Endpoint> second = store.listEndpoints(TENANT, first.nextCursor(), 2);
        assertThat(second.items()).extracting(Endpoint::id).containsExactlyElementsOf(newestFirst.subList(2, 4));
        Page<Endpoint> last = store.listEndpoints(TENANT, second.nextCursor(), 2);
        assertThat(last.items()).extracting(Endpoint::id).containsExactlyElementsOf(newestFirst.subList(4, 5));
        assertThat(last.nextCursor()).isNull();

        Page<Endpoint> whole = store.listEndpoints(TENANT, null, 5);
        assertThat(whole.items()).extracting(Endpoint::id).containsExactlyElementsOf(newestFirst);
        assertThat(whole.nextCursor()).as("a page that holds the rest is the last page").isNull();
        assertThat(whole.items()).allMatch(e -> !e.adHoc());
        assertThat(whole.items().get(4)).isEqualTo(mine.get(0));
    }

    @Test
    void fanOutEndpointsAreTheEnabledNonAdHocOnesOfTheTenantInIdOrder() {
        Endpoint a = fx.endpoint(TENANT);
        Endpoint disabled = StoreFixtures.enabled(fx.endpoint(TENANT), false);
        Endpoint adHoc = fx.adHocEndpoint(TENANT);
        Endpoint b = fx.endpoint(TENANT);
        Endpoint others = fx.endpoint(OTHER);
        for (Endpoint e : List.of(b, others, adHoc, disabled, a)) {
            store.insertEndpoint(e);
        }

        assertThat(store.fanOutEndpoints(TENANT)).containsExactly(a, b);
        assertThat(store.fanOutEndpoints(OTHER)).containsExactly(others);

        store.updateEndpoint(StoreFixtures.enabled(a, false));
        assertThat(store.fanOutEndpoints(TENANT)).containsExactly(b);
    }

    // ---- publish --------------------------------------------------------------------------------

    @Test
    void publishStoresTheEventAndItsDeliveries() {
        Event event = fx.event(TENANT);
        Delivery d1 = fx.delivery(event, "ep_1", T0);
        Delivery d2 = fx.delivery(event, "ep_2", at(30));

        assertThat(store.publish(event, List.of(d1, d2))).isEqualTo(event.id());

        assertThat(store.findEvent(TENANT, event.id())).contains(event);
        assertThat(store.findDelivery(TENANT, d1.id())).contains(d1);
        assertThat(store.findDelivery(TENANT, d2.id())).contains(d2);
        assertThat(store.findEvent(OTHER, event.id())).isEmpty();
        assertThat(store.findDelivery(OTHER, d1.id())).isEmpty();
        assertThat(store.findEvent(TENANT, "evt_unknown")).isEmpty();
        assertThat(store.findDelivery(TENANT, "dlv_unknown")).isEmpty();
    }

    @Test
    void publishWithoutDeliveriesStoresTheEvent() {
        Event event = fx.event(TENANT);
        assertThat(store.publish(event, List.of())).isEqualTo(event.id());
        assertThat(store.findEvent(TENANT, event.id())).contains(event);
    }

    @Test
    void publishIsAllOrNothing() {
        Event first = fx.event(TENANT);
        Delivery taken = fx.delivery(first, "ep_1", T0);
        store.publish(first, List.of(taken));

        Event second = fx.event(TENANT);
        Delivery fresh = fx.delivery(second, "ep_1", T0);
        Delivery clash = new Delivery(taken.id(), TENANT, second.id(), second.type(), "ep_2",
                DeliveryStatus.SCHEDULED, 0, T0, null, T0, T0);

        assertThatThrownBy(() -> store.publish(second, List.of(fresh, clash))).isInstanceOf(StoreException.class);

        assertThat(store.findEvent(TENANT, second.id())).isEmpty();
        assertThat(store.findDelivery(TENANT, fresh.id())).isEmpty();
        assertThat(store.findDelivery(TENANT, taken.id())).contains(taken);
        assertThat(store.countByStatus().getOrDefault(DeliveryStatus.SCHEDULED, 0L)).isEqualTo(1);
    }

    @Test
    void publishingAnEventIdTwiceIsRefused() {
        Event event = fx.event(TENANT);
        store.publish(event, List.of());
        Delivery d = fx.delivery(event, "ep_1", T0);

        assertThatThrownBy(() -> store.publish(event, List.of(d))).isInstanceOf(StoreException.class);
        assertThat(store.findDelivery(TENANT, d.id())).isEmpty();
    }

    @Test
    void idempotencyKeyReusedByTheTenantReturnsTheEarlierEventAndStoresNothing() {
        Event first = fx.event(TENANT, "order-42");
        Delivery d1 = fx.delivery(first, "ep_1", T0);
        assertThat(store.publish(first, List.of(d1))).isEqualTo(first.id());

        Event retry = fx.event(TENANT, "order-42");
        Delivery d2 = fx.delivery(retry, "ep_1", T0);
        Delivery d3 = fx.delivery(retry, "ep_2", T0);
        assertThat(store.publish(retry, List.of(d2, d3))).isEqualTo(first.id());

        assertThat(store.findEvent(TENANT, retry.id())).isEmpty();
        assertThat(store.findDelivery(TENANT, d2.id())).isEmpty();
        assertThat(store.findDelivery(TENANT, d3.id())).isEmpty();
        assertThat(store.findEvent(TENANT, first.id())).contains(first);
        assertThat(total(store.countByStatus())).isEqualTo(1);
    }

    @Test
    void anotherTenantMayUseTheSameIdempotencyKey() {
        Event mine = fx.event(TENANT, "order-42");
        store.publish(mine, List.of());
        Event theirs = fx.event(OTHER, "order-42");
        Delivery d = fx.delivery(theirs, "ep_9", T0);

        assertThat(store.publish(theirs, List.of(d))).isEqualTo(theirs.id());
        assertThat(store.findEvent(OTHER, theirs.id())).contains(theirs);
        assertThat(store.findDelivery(OTHER, d.id())).contains(d);
    }

    @Test
    void concurrentPublishesWithOneIdempotencyKeyStoreOneEvent() throws Exception {
        int threads = claimThreads();
        List<Event> events = new ArrayList<>();
        List<Delivery> deliveries = new ArrayList<>();
        for (int i = 0; i < threads * 2; i++) {
            Event e = fx.event(TENANT, "same-key");
            events.add(e);
            deliveries.add(fx.delivery(e, "ep_1", T0));
        }

        List<String> returned = runConcurrently(threads, events.size(),
                i -> store.publish(events.get(i), List.of(deliveries.get(i))));

        assertThat(Set.copyOf(returned)).hasSize(1);
        String winner = returned.get(0);
        assertThat(events).extracting(Event::id).contains(winner);
        long stored = events.stream().filter(e -> store.findEvent(TENANT, e.id()).isPresent()).count();
        assertThat(stored).isEqualTo(1);
        assertThat(total(store.countByStatus())).isEqualTo(1);
    }

    // ---- claims ---------------------------------------------------------------------------------

    @Test
    void claimTakesOnlyDueScheduledOrExpiredDeliveries() {
        Event event = fx.event(TENANT);
        Delivery due = fx.delivery(event, "ep_1", T0);
        Delivery later = fx.delivery(event, "ep_2", at(3600));
        Delivery leased = fx.delivery(event, "ep_3", T0);
        Delivery done = fx.delivery(event, "ep_4", T0);
        store.publish(event, List.of(due, later, leased, done));
        claimOne(leased.id(), "other-worker", at(1));
        claimOne(done.id(), "other-worker", at(1));
        assertThat(store.record(List.of(fx.finish(done.id(), "other-worker", DeliveryStatus.SUCCEEDED, 1, at(2)))))
                .containsExactly(done.id());

        List<DeliveryTask> tasks = store.claim(
                List.of(due.id(), later.id(), leased.id(), done.id(), "dlv_unknown"), lease("w1", at(65)), at(5));

        assertThat(tasks).extracting(t -> t.delivery().id()).containsExactly(due.id());
        DeliveryTask task = tasks.get(0);
        assertThat(task.delivery().status()).isEqualTo(DeliveryStatus.IN_FLIGHT);
        assertThat(task.delivery().attempts()).isZero();
        assertThat(task.delivery().eventId()).isEqualTo(event.id());
        assertThat(task.delivery().endpointId()).isEqualTo("ep_1");
        assertThat(task.event()).isEqualTo(event);
        assertThat(status(due.id())).isEqualTo(DeliveryStatus.IN_FLIGHT);
        assertThat(status(later.id())).isEqualTo(DeliveryStatus.SCHEDULED);
        assertThat(status(done.id())).isEqualTo(DeliveryStatus.SUCCEEDED);
    }

    @Test
    void aLeasedDeliveryIsNotClaimedAgainUntilItsLeaseRunsOut() {
        Event event = fx.event(TENANT);
        Delivery d = fx.delivery(event, "ep_1", T0);
        store.publish(event, List.of(d));
        assertThat(store.claim(List.of(d.id()), lease("w1", at(30)), at(1))).hasSize(1);

        assertThat(store.claim(List.of(d.id()), lease("w2", at(40)), at(10))).isEmpty();
        assertThat(store.claimDue(lease("w2", at(40)), at(10), 10)).isEmpty();
        assertThat(store.claim(List.of(d.id()), lease("w1", at(40)), at(10)))
                .as("not even by the same owner").isEmpty();

        List<DeliveryTask> again = store.claim(List.of(d.id()), lease("w2", at(91)), at(31));
        assertThat(again).extracting(t -> t.delivery().id()).containsExactly(d.id());
        assertThat(again.get(0).delivery().status()).isEqualTo(DeliveryStatus.IN_FLIGHT);
    }

    @Test
    void claimDueTakesAnExpiredLeaseAgain() {
        Event event = fx.event(TENANT);
        Delivery d = fx.delivery(event, "ep_1", T0);
        store.publish(event, List.of(d));
        assertThat(store.claimDue(lease("w1", at(30)), at(1), 10)).hasSize(1);

        List<DeliveryTask> again = store.claimDue(lease("w2", at(100)), at(45), 10);

        assertThat(again).extracting(t -> t.delivery().id()).containsExactly(d.id());
        assertThat(again.get(0).event()).isEqualTo(event);
        assertThat(store.claimDue(lease("w3", at(100)), at(46), 10)).isEmpty();
    }

    @Test
    void claimDueTakesTheLongestDueFirstUpToTheLimit() {
        Event event = fx.event(TENANT);
        Delivery third = fx.delivery(event, "ep_1", at(3));
        Delivery first = fx.delivery(event, "ep_2", at(1));
        Delivery notDue = fx.delivery(event, "ep_3", at(600));
        Delivery second = fx.delivery(event, "ep_4", at(2));
        Event otherEvent = fx.event(OTHER);
        Delivery fourth = fx.delivery(otherEvent, "ep_5", at(4));
        store.publish(event, List.of(third, first, notDue, second));
        store.publish(otherEvent, List.of(fourth));

        List<DeliveryTask> batch = store.claimDue(lease("w1", at(60)), at(5), 2);
        assertThat(batch).extracting(t -> t.delivery().id()).containsExactly(first.id(), second.id());
        assertThat(batch).allMatch(t -> t.delivery().status() == DeliveryStatus.IN_FLIGHT);

        List<DeliveryTask> rest = store.claimDue(lease("w1", at(60)), at(5), 10);
        assertThat(rest).extracting(t -> t.delivery().id()).containsExactly(third.id(), fourth.id());
        assertThat(rest.get(1).event()).isEqualTo(otherEvent);

        assertThat(store.claimDue(lease("w1", at(60)), at(5), 10)).isEmpty();
        assertThat(status(notDue.id())).isEqualTo(DeliveryStatus.SCHEDULED);
    }

    @Test
    void concurrentClaimsOfTheSameIdsClaimEachDeliveryOnce() throws Exception {
        List<String> ids = publishDue(200);
        int threads = claimThreads();

        List<List<DeliveryTask>> claimed = runConcurrently(threads, threads * 2,
                i -> store.claim(ids, lease("worker-" + i, at(60)), at(1)));

        assertClaimedExactlyOnce(claimed, ids);
    }

    @Test
    void concurrentClaimDueCallsClaimEachDeliveryOnce() throws Exception {
        List<String> ids = publishDue(300);
        int threads = claimThreads();

        List<List<DeliveryTask>> claimed = runConcurrently(threads, threads, i -> {
            List<DeliveryTask> mine = new ArrayList<>();
            List<DeliveryTask> batch;
            do {
                batch = store.claimDue(lease("worker-" + i, at(60)), at(1), 16);
                mine.addAll(batch);
            } while (!batch.isEmpty());
            return mine;
        });

        assertClaimedExactlyOnce(claimed, ids);
        assertThat(store.countByStatus().getOrDefault(DeliveryStatus.IN_FLIGHT, 0L)).isEqualTo(ids.size());
    }

    // ---- record and release ---------------------------------------------------------------------

    @Test
    void recordAppliesTheOutcomeAndAppendsTheAttempt() {
        Event event = fx.event(TENANT);
        Delivery d = fx.delivery(event, "ep_1", T0);
        store.publish(event, List.of(d));
        claimOne(d.id(), "w1", at(1));

        Outcome retry = fx.retry(d.id(), "w1", 1, at(2), at(62));
        assertThat(store.record(List.of(retry))).containsExactly(d.id());

        Delivery afterRetry = store.findDelivery(TENANT, d.id()).orElseThrow();
        assertThat(afterRetry.status()).isEqualTo(DeliveryStatus.SCHEDULED);
        assertThat(afterRetry.attempts()).isEqualTo(1);
        assertThat(afterRetry.nextAttemptAt()).isEqualTo(at(62));
        assertThat(afterRetry.lastError()).isEqualTo("HTTP 503");
        assertThat(afterRetry.updatedAt()).isEqualTo(at(2));
        assertThat(afterRetry.createdAt()).isEqualTo(d.createdAt());
        assertThat(store.attempts(TENANT, d.id())).containsExactly(retry.attempt());
        assertThat(store.claim(List.of(d.id()), lease("w1", at(90)), at(61))).as("not due yet").isEmpty();

        claimOne(d.id(), "w2", at(62));
        Outcome success = fx.finish(d.id(), "w2", DeliveryStatus.SUCCEEDED, 2, at(63));
        assertThat(store.record(List.of(success))).containsExactly(d.id());

        Delivery done = store.findDelivery(TENANT, d.id()).orElseThrow();
        assertThat(done.status()).isEqualTo(DeliveryStatus.SUCCEEDED);
        assertThat(done.attempts()).isEqualTo(2);
        assertThat(done.lastError()).isNull();
        assertThat(done.updatedAt()).isEqualTo(at(63));
        assertThat(store.attempts(TENANT, d.id())).containsExactly(retry.attempt(), success.attempt());
        assertThat(store.claim(List.of(d.id()), lease("w3", at(900)), at(800))).as("final").isEmpty();
    }

    @Test
    void aWorkerThatLostItsLeaseCannotRecord() {
        Event event = fx.event(TENANT);
        Delivery d = fx.delivery(event, "ep_1", T0);
        store.publish(event, List.of(d));
        claimOne(d.id(), "slow-worker", at(1));
        claimOne(d.id(), "fast-worker", at(100)); // the slow worker's lease (until +61s) ran out

        Set<String> applied = store.record(List.of(fx.finish(d.id(), "slow-worker", DeliveryStatus.SUCCEEDED, 1, at(101))));

        assertThat(applied).isEmpty();
        Delivery now = store.findDelivery(TENANT, d.id()).orElseThrow();
        assertThat(now.status()).isEqualTo(DeliveryStatus.IN_FLIGHT);
        assertThat(now.attempts()).isZero();
        assertThat(store.attempts(TENANT, d.id())).isEmpty();

        Outcome newer = fx.retry(d.id(), "fast-worker", 1, at(102), at(200));
        assertThat(store.record(List.of(newer))).containsExactly(d.id());
        assertThat(store.attempts(TENANT, d.id())).containsExactly(newer.attempt());
    }

    @Test
    void recordIsRefusedForDeliveriesNotInFlight() {
        Event event = fx.event(TENANT);
        Delivery scheduled = fx.delivery(event, "ep_1", T0);
        Delivery done = fx.delivery(event, "ep_2", T0);
        store.publish(event, List.of(scheduled, done));
        claimOne(done.id(), "w1", at(1));
        Outcome finish = fx.finish(done.id(), "w1", DeliveryStatus.SUCCEEDED, 1, at(2));
        assertThat(store.record(List.of(finish))).containsExactly(done.id());

        Set<String> applied = store.record(List.of(
                fx.finish(scheduled.id(), "w1", DeliveryStatus.SUCCEEDED, 1, at(3)),
                fx.finish(done.id(), "w1", DeliveryStatus.DEAD, 2, at(3)),
                fx.finish("dlv_unknown", "w1", DeliveryStatus.SUCCEEDED, 1, at(3))));

        assertThat(applied).isEmpty();
        assertThat(store.findDelivery(TENANT, scheduled.id())).contains(scheduled);
        assertThat(status(done.id())).isEqualTo(DeliveryStatus.SUCCEEDED);
        assertThat(store.attempts(TENANT, done.id())).containsExactly(finish.attempt());
        assertThat(store.attempts(TENANT, scheduled.id())).isEmpty();
    }

    @Test
    void recordWithoutAnAttemptAppendsNone() {
        Event event = fx.event(TENANT);
        Delivery d = fx.delivery(event, "ep_1", T0);
        store.publish(event, List.of(d));
        claimOne(d.id(), "w1", at(1));

        Outcome putBack = new Outcome(d.id(), "w1", null, DeliveryStatus.SCHEDULED, 0, at(10), "endpoint busy", at(2));
        assertThat(store.record(List.of(putBack))).containsExactly(d.id());

        Delivery after = store.findDelivery(TENANT, d.id()).orElseThrow();
        assertThat(after.status()).isEqualTo(DeliveryStatus.SCHEDULED);
        assertThat(after.nextAttemptAt()).isEqualTo(at(10));
        assertThat(after.lastError()).isEqualTo("endpoint busy");
        assertThat(store.attempts(TENANT, d.id())).isEmpty();
    }

    @Test
    void recordAppliesManyOutcomesInOneCall() {
        List<String> ids = publishDue(60);
        List<DeliveryTask> mine = store.claim(ids.subList(0, 50), lease("w1", at(60)), at(1));
        List<DeliveryTask> theirs = store.claim(ids.subList(50, 60), lease("w2", at(60)), at(1));
        assertThat(mine).hasSize(50);
        assertThat(theirs).hasSize(10);

        List<Outcome> outcomes = new ArrayList<>();
        Map<String, DeliveryStatus> expected = new HashMap<>();
        DeliveryStatus[] cycle = {DeliveryStatus.SUCCEEDED, DeliveryStatus.SCHEDULED, DeliveryStatus.FAILED,
                DeliveryStatus.DEAD};
        for (int i = 0; i < 50; i++) {
            String id = ids.get(i);
            DeliveryStatus s = cycle[i % cycle.length];
            outcomes.add(s == DeliveryStatus.SCHEDULED ? fx.retry(id, "w1", 1, at(2), at(120))
                    : fx.finish(id, "w1", s, 1, at(2)));
            expected.put(id, s);
        }
        for (int i = 50; i < 60; i++) { // w1 does not hold these
            outcomes.add(fx.finish(ids.get(i), "w1", DeliveryStatus.SUCCEEDED, 1, at(2)));
        }

        Set<String> applied = store.record(outcomes);

        assertThat(applied).containsExactlyInAnyOrderElementsOf(ids.subList(0, 50));
        expected.forEach((id, s) -> {
            assertThat(status(id)).as(id).isEqualTo(s);
            assertThat(store.attempts(TENANT, id)).as(id).hasSize(1);
        });
        for (String id : ids.subList(50, 60)) {
            assertThat(status(id)).isEqualTo(DeliveryStatus.IN_FLIGHT);
            assertThat(store.attempts(TENANT, id)).isEmpty();
        }
        Map<DeliveryStatus, Long> counts = store.countByStatus();
        assertThat(counts.getOrDefault(DeliveryStatus.SUCCEEDED, 0L)).isEqualTo(13);
        assertThat(counts.getOrDefault(DeliveryStatus.SCHEDULED, 0L)).isEqualTo(13);
        assertThat(counts.getOrDefault(DeliveryStatus.FAILED, 0L)).isEqualTo(12);
        assertThat(counts.getOrDefault(DeliveryStatus.DEAD, 0L)).isEqualTo(12);
        assertThat(counts.getOrDefault(DeliveryStatus.IN_FLIGHT, 0L)).isEqualTo(10);
    }

    @Test
    void recordingTheSameOutcomeTwiceAppliesItOnce() {
        Event event = fx.event(TENANT);
        Delivery d = fx.delivery(event, "ep_1", T0);
        store.publish(event, List.of(d));
        claimOne(d.id(), "w1", at(1));
        Outcome success = fx.finish(d.id(), "w1", DeliveryStatus.SUCCEEDED, 1, at(2));

        assertThat(store.record(List.of(success))).containsExactly(d.id());
        assertThat(store.record(List.of(success))).isEmpty();
        assertThat(store.attempts(TENANT, d.id())).hasSize(1);
    }

    @Test
    void releasePutsTheOwnersDeliveriesBackDueNow() {
        List<String> ids = publishDue(4);
        store.claim(ids.subList(0, 2), lease("w1", at(60)), at(1));
        store.claim(ids.subList(2, 3), lease("w2", at(60)), at(1));

        store.release(ids, "w1", at(5));

        for (String id : ids.subList(0, 2)) {
            Delivery d = store.findDelivery(TENANT, id).orElseThrow();
            assertThat(d.status()).isEqualTo(DeliveryStatus.SCHEDULED);
            assertThat(d.nextAttemptAt()).isEqualTo(at(5));
            assertThat(d.attempts()).isZero();
        }
        assertThat(status(ids.get(2))).as("held by another owner").isEqualTo(DeliveryStatus.IN_FLIGHT);
        assertThat(status(ids.get(3))).isEqualTo(DeliveryStatus.SCHEDULED);
        assertThat(store.record(List.of(fx.finish(ids.get(0), "w1", DeliveryStatus.SUCCEEDED, 1, at(6)))))
                .as("released means no longer held").isEmpty();
        assertThat(store.claim(ids.subList(0, 2), lease("w3", at(65)), at(5))).hasSize(2);
    }

    // ---- replay ---------------------------------------------------------------------------------

    @Test
    void replaySetsAFailedOrDeadDeliveryBackToScheduledKeepingItsAttempts() {
        Event event = fx.event(TENANT);
        Delivery failed = fx.delivery(event, "ep_1", T0);
        Delivery dead = fx.delivery(event, "ep_1", T0);
        store.publish(event, List.of(failed, dead));
        claimOne(failed.id(), "w1", at(1));
        claimOne(dead.id(), "w1", at(1));
        store.record(List.of(fx.finish(failed.id(), "w1", DeliveryStatus.FAILED, 1, at(2)),
                fx.finish(dead.id(), "w1", DeliveryStatus.DEAD, 3, at(2))));

        assertThat(store.replay(OTHER, "ep_1", failed.id(), at(10))).isEmpty();
        assertThat(status(failed.id())).isEqualTo(DeliveryStatus.FAILED);

        assertThat(store.replay(TENANT, "ep_1", failed.id(), at(10))).containsExactly(failed.id());
        assertThat(store.replay(TENANT, "ep_1", dead.id(), at(11))).containsExactly(dead.id());

        Delivery replayed = store.findDelivery(TENANT, dead.id()).orElseThrow();
        assertThat(replayed.status()).isEqualTo(DeliveryStatus.SCHEDULED);
        assertThat(replayed.nextAttemptAt()).isEqualTo(at(11));
        assertThat(replayed.attempts()).isEqualTo(3);
        assertThat(store.attempts(TENANT, dead.id())).hasSize(1);
        assertThat(store.attempts(TENANT, failed.id())).hasSize(1);
        assertThat(store.claimDue(lease("w2", at(100)), at(11), 10)).extracting(t -> t.delivery().id())
                .containsExactly(failed.id(), dead.id());
    }

    @Test
    void replayRefusesDeliveriesThatAreNotFailedOrDead() {
        Event event = fx.event(TENANT);
        Delivery scheduled = fx.delivery(event, "ep_1", at(300));
        Delivery inFlight = fx.delivery(event, "ep_1", T0);
        Delivery succeeded = fx.delivery(event, "ep_1", T0);
        store.publish(event, List.of(scheduled, inFlight, succeeded));
        claimOne(inFlight.id(), "w1", at(1));
        claimOne(succeeded.id(), "w1", at(1));
        store.record(List.of(fx.finish(succeeded.id(), "w1", DeliveryStatus.SUCCEEDED, 1, at(2))));

        for (Delivery d : List.of(scheduled, inFlight, succeeded)) {
            assertThat(store.replay(TENANT, "ep_1", d.id(), at(10))).as(d.id()).isEmpty();
        }
        assertThat(store.replay(TENANT, "ep_1", null, at(10))).isEmpty();
        assertThat(store.replay(TENANT, "ep_1", "dlv_unknown", at(10))).isEmpty();
        assertThat(store.findDelivery(TENANT, scheduled.id())).contains(scheduled);
        assertThat(status(inFlight.id())).isEqualTo(DeliveryStatus.IN_FLIGHT);
        assertThat(status(succeeded.id())).isEqualTo(DeliveryStatus.SUCCEEDED);
    }

    @Test
    void replayOfAnEndpointTakesEveryFailedOrDeadDeliveryOfThatEndpointOnly() {
        Event event = fx.event(TENANT);
        Delivery failed = fx.delivery(event, "ep_1", T0);
        Delivery dead = fx.delivery(event, "ep_1", T0);
        Delivery succeeded = fx.delivery(event, "ep_1", T0);
        Delivery elsewhere = fx.delivery(event, "ep_2", T0);
        store.publish(event, List.of(failed, dead, succeeded, elsewhere));
        List<String> all = List.of(failed.id(), dead.id(), succeeded.id(), elsewhere.id());
        store.claim(all, lease("w1", at(60)), at(1));
        store.record(List.of(fx.finish(failed.id(), "w1", DeliveryStatus.FAILED, 1, at(2)),
                fx.finish(dead.id(), "w1", DeliveryStatus.DEAD, 5, at(2)),
                fx.finish(succeeded.id(), "w1", DeliveryStatus.SUCCEEDED, 1, at(2)),
                fx.finish(elsewhere.id(), "w1", DeliveryStatus.DEAD, 5, at(2))));

        assertThat(store.replay(OTHER, "ep_1", null, at(10))).isEmpty();
        assertThat(store.replay(TENANT, "ep_1", null, at(10))).containsExactlyInAnyOrder(failed.id(), dead.id());

        assertThat(status(failed.id())).isEqualTo(DeliveryStatus.SCHEDULED);
        assertThat(status(dead.id())).isEqualTo(DeliveryStatus.SCHEDULED);
        assertThat(status(succeeded.id())).isEqualTo(DeliveryStatus.SUCCEEDED);
        assertThat(status(elsewhere.id())).isEqualTo(DeliveryStatus.DEAD);
        assertThat(store.replay(TENANT, "ep_1", null, at(11))).as("nothing left to replay").isEmpty();
    }

    // ---- listings and metrics -------------------------------------------------------------------

    @Test
    void listDeliveriesFiltersAndPagesNewestFirst() {
        Event e1 = fx.event(TENANT);
        Event e2 = fx.event(TENANT);
        List<Delivery> e1ToA = new ArrayList<>();
        List<Delivery> e2ToA = new ArrayList<>();
        List<Delivery> toB = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            e1ToA.add(fx.delivery(e1, "ep_a", T0));
            toB.add(fx.delivery(e1, "ep_b", T0));
            e2ToA.add(fx.delivery(e2, "ep_a", T0));
        }
        store.publish(e1, concat(e1ToA, toB));
        store.publish(e2, e2ToA);
        Event theirs = fx.event(OTHER);
        store.publish(theirs, List.of(fx.delivery(theirs, "ep_a", T0)));
        claimOne(toB.get(1).id(), "w1", at(1));
        store.record(List.of(fx.finish(toB.get(1).id(), "w1", DeliveryStatus.DEAD, 1, at(2))));

        List<String> all = newestFirst(concat(concat(e1ToA, toB), e2ToA));
        assertThat(pageThrough(query(TENANT), 4)).containsExactlyElementsOf(all);
        assertThat(pageThrough(query(TENANT).endpoint("ep_a"), 2))
                .containsExactlyElementsOf(newestFirst(concat(e1ToA, e2ToA)));
        assertThat(pageThrough(query(TENANT).event(e2.id()), 10)).containsExactlyElementsOf(newestFirst(e2ToA));
        assertThat(pageThrough(query(TENANT).endpoint("ep_b").event(e1.id()), 1))
                .containsExactlyElementsOf(newestFirst(toB));
        assertThat(pageThrough(query(TENANT).status(DeliveryStatus.DEAD), 10)).containsExactly(toB.get(1).id());
        assertThat(pageThrough(query(TENANT).endpoint("ep_a").status(DeliveryStatus.DEAD), 10)).isEmpty();
        assertThat(pageThrough(query(OTHER).event(e1.id()), 10)).isEmpty();

        Page<Delivery> whole = store.listDeliveries(query(TENANT).event(e2.id()).limit(3).build());
        assertThat(whole.items()).hasSize(3);
        assertThat(whole.nextCursor()).as("a page that holds the rest is the last page").isNull();
        assertThat(whole.items().get(2)).isEqualTo(e2ToA.get(0));
    }

    @Test
    void attemptsAreOldestFirstAndTenantScoped() {
        Event event = fx.event(TENANT);
        Delivery d = fx.delivery(event, "ep_1", T0);
        store.publish(event, List.of(d));
        List<Attempt> expected = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            claimOne(d.id(), "w1", at(n * 100L));
            Outcome o = n < 3 ? fx.retry(d.id(), "w1", n, at(n * 100L + 1), at(n * 100L + 50))
                    : fx.finish(d.id(), "w1", DeliveryStatus.SUCCEEDED, n, at(n * 100L + 1));
            assertThat(store.record(List.of(o))).hasSize(1);
            expected.add(o.attempt());
        }

        assertThat(store.attempts(TENANT, d.id())).containsExactlyElementsOf(expected);
        assertThat(store.attempts(OTHER, d.id())).isEmpty();
        assertThat(store.attempts(TENANT, "dlv_unknown")).isEmpty();
    }

    @Test
    void countByStatusCountsAcrossTenants() {
        assertThat(total(store.countByStatus())).isZero();
        publishDue(3);
        Event theirs = fx.event(OTHER);
        Delivery d = fx.delivery(theirs, "ep_9", T0);
        store.publish(theirs, List.of(d));
        claimOne(d.id(), "w1", at(1));

        Map<DeliveryStatus, Long> counts = store.countByStatus();
        assertThat(counts.getOrDefault(DeliveryStatus.SCHEDULED, 0L)).isEqualTo(3);
        assertThat(counts.getOrDefault(DeliveryStatus.IN_FLIGHT, 0L)).isEqualTo(1);
        assertThat(total(counts)).isEqualTo(4);
    }

    @Test
    void oldestDueIsTheEarliestScheduledDeliveryAcrossTenants() {
        assertThat(store.oldestDue()).isEmpty();
        Event mine = fx.event(TENANT);
        Event theirs = fx.event(OTHER);
        Delivery soon = fx.delivery(mine, "ep_1", at(50));
        Delivery earliest = fx.delivery(theirs, "ep_2", at(20));
        Delivery claimed = fx.delivery(mine, "ep_3", at(10));
        store.publish(mine, List.of(soon, claimed));
        store.publish(theirs, List.of(earliest));
        assertThat(store.oldestDue()).contains(at(10));

        claimOne(claimed.id(), "w1", at(10));
        assertThat(store.oldestDue()).as("in flight is not waiting").contains(at(20));
        store.record(List.of(fx.finish(claimed.id(), "w1", DeliveryStatus.SUCCEEDED, 1, at(11))));
        claimOne(earliest.id(), "w1", at(30));
        store.record(List.of(fx.finish(earliest.id(), "w1", DeliveryStatus.DEAD, 1, at(31))));
        assertThat(store.oldestDue()).contains(at(50));
    }

    // ---- purge ----------------------------------------------------------------------------------

    @Test
    void purgeDeletesOnlyOldFinalDeliveriesWithTheirAttemptsInBatches() {
        Instant old = T0;
        Instant cutoff = T0.plus(Duration.ofDays(7));
        Instant recent = cutoff.plusSeconds(60);

        Event gone = fx.event(TENANT);
        Delivery oldSucceeded = fx.delivery(gone, "ep_1", old);
        Delivery oldDead = fx.delivery(gone, "ep_2", old);
        Event kept = fx.event(TENANT);
        Delivery oldFailed = fx.delivery(kept, "ep_1", old);
        Delivery recentSucceeded = fx.delivery(kept, "ep_2", old);
        Delivery oldScheduled = fx.delivery(kept, "ep_3", old);
        Delivery oldInFlight = fx.delivery(kept, "ep_4", old);
        store.publish(gone, List.of(oldSucceeded, oldDead));
        store.publish(kept, List.of(oldFailed, recentSucceeded, oldScheduled, oldInFlight));
        store.claim(List.of(oldSucceeded.id(), oldDead.id(), oldFailed.id(), oldInFlight.id()),
                lease("w1", old.plusSeconds(60)), old);
        store.record(List.of(fx.finish(oldSucceeded.id(), "w1", DeliveryStatus.SUCCEEDED, 1, old.plusSeconds(1)),
                fx.finish(oldDead.id(), "w1", DeliveryStatus.DEAD, 1, old.plusSeconds(2)),
                fx.finish(oldFailed.id(), "w1", DeliveryStatus.FAILED, 1, old.plusSeconds(3))));
        claimOne(recentSucceeded.id(), "w1", recent.minusSeconds(1));
        store.record(List.of(fx.finish(recentSucceeded.id(), "w1", DeliveryStatus.SUCCEEDED, 1, recent)));

        assertThat(store.purge(cutoff, 2)).isEqualTo(2);
        assertThat(store.purge(cutoff, 2)).isEqualTo(1);
        assertThat(store.purge(cutoff, 2)).isZero();

        for (Delivery d : List.of(oldSucceeded, oldDead, oldFailed)) {
            assertThat(store.findDelivery(TENANT, d.id())).as(d.id()).isEmpty();
            assertThat(store.attempts(TENANT, d.id())).as(d.id()).isEmpty();
        }
        assertThat(store.findDelivery(TENANT, recentSucceeded.id())).isPresent();
        assertThat(store.attempts(TENANT, recentSucceeded.id())).hasSize(1);
        assertThat(store.findDelivery(TENANT, oldScheduled.id())).contains(oldScheduled);
        assertThat(status(oldInFlight.id())).isEqualTo(DeliveryStatus.IN_FLIGHT);
        assertThat(store.findEvent(TENANT, gone.id())).as("no delivery left").isEmpty();
        assertThat(store.findEvent(TENANT, kept.id())).contains(kept);
        assertThat(total(store.countByStatus())).isEqualTo(3);
    }

    // ---- uploads --------------------------------------------------------------------------------

    @Test
    void uploadRoundTripsAndIsFoundByItsTokenWhateverTheTenant() {
        Upload plain = fx.upload(TENANT, null, "bucket", "a/b c/ü.pdf", "ep_1", at(30));
        Upload observed = StoreFixtures.next(fx.upload(OTHER, "batch_1", "bucket", "k", "ep_2", null),
                UploadStatus.REJECTED, null, at(40));
        Upload noExpectations = new Upload(fx.id(Ids.UPLOAD), TENANT, null, "r2", "b", "k2", "f", "image/png", null,
                Set.of(), "ep_3", null, UploadStatus.AWAITING_UPLOAD, at(1), at(2), null, 0, null, null, null, null,
                T0, T0, 0);
        store.insertUploads(List.of(plain, observed, noExpectations));

        assertThat(store.findUpload(plain.id())).contains(plain);
        assertThat(store.findUpload(observed.id())).contains(observed);
        assertThat(store.findUpload(noExpectations.id())).contains(noExpectations);
        assertThat(store.findUpload("wh_unknown")).isEmpty();
    }

    @Test
    void insertUploadsIsAllOrNone() {
        Upload first = fx.upload(TENANT, null, "bucket", "k1", "ep_1", null);
        store.insertUploads(List.of(first));
        Upload fresh = fx.upload(TENANT, "batch_2", "bucket", "k2", "ep_1", null);
        Upload clash = fx.upload(TENANT, "batch_2", "bucket", "k3", "ep_1", null);
        Upload sameId = new Upload(first.id(), TENANT, "batch_2", "s3", "bucket", "k3", "f", "text/plain", null,
                clash.triggers(), "ep_1", null, UploadStatus.AWAITING_UPLOAD, at(1), at(2), null, 0, null, null, null,
                null, T0, T0, 0);

        assertThatThrownBy(() -> store.insertUploads(List.of(fresh, sameId))).isInstanceOf(StoreException.class);

        assertThat(store.findUpload(fresh.id())).isEmpty();
        assertThat(store.findUpload(first.id())).contains(first);
        assertThat(store.uploadsOfBatch(TENANT, "batch_2")).isEmpty();
    }

    @Test
    void uploadsOfABatchAreTheTenantsInIdOrder() {
        Upload b = fx.upload(TENANT, "batch_7", "bucket", "k1", "ep_1", null);
        Upload c = fx.upload(TENANT, "batch_7", "bucket", "k2", "ep_1", null);
        Upload single = fx.upload(TENANT, null, "bucket", "k3", "ep_1", null);
        Upload otherBatch = fx.upload(TENANT, "batch_8", "bucket", "k4", "ep_1", null);
        store.insertUploads(List.of(c, single, b, otherBatch));

        assertThat(store.uploadsOfBatch(TENANT, "batch_7")).containsExactly(b, c);
        assertThat(store.uploadsOfBatch(OTHER, "batch_7")).isEmpty();
        assertThat(store.uploadsOfBatch(TENANT, "batch_unknown")).isEmpty();
    }

    @Test
    void uploadsOfAnObjectAreTheNonFinalOnesAcrossTenants() {
        Upload mine = fx.upload(TENANT, null, "bucket", "same/key", "ep_1", null);
        Upload theirs = fx.upload(OTHER, null, "bucket", "same/key", "ep_2", null);
        Upload verifying = StoreFixtures.next(fx.upload(TENANT, null, "bucket", "same/key", "ep_1", null),
                UploadStatus.VERIFYING, at(5), at(1));
        Upload finished = StoreFixtures.next(fx.upload(TENANT, null, "bucket", "same/key", "ep_1", null),
                UploadStatus.VERIFIED, null, at(1));
        Upload otherKey = fx.upload(TENANT, null, "bucket", "same/key2", "ep_1", null);
        Upload otherBucket = fx.upload(TENANT, null, "bucket2", "same/key", "ep_1", null);
        store.insertUploads(List.of(mine, theirs, verifying, finished, otherKey, otherBucket));

        assertThat(store.uploadsOf("bucket", "same/key")).containsExactlyInAnyOrder(mine, theirs, verifying);
        assertThat(store.uploadsOf("bucket", "nothing")).isEmpty();
    }

    @Test
    void dueUploadsAreTheNonFinalOnesDueNowEarliestFirstUpToTheLimit() {
        Upload second = fx.upload(TENANT, null, "b", "k1", "ep_1", at(20));
        Upload first = fx.upload(OTHER, null, "b", "k2", "ep_1", at(10));
        Upload third = fx.upload(TENANT, null, "b", "k3", "ep_1", at(30));
        Upload exactlyNow = fx.upload(TENANT, null, "b", "k4", "ep_1", at(40));
        Upload later = fx.upload(TENANT, null, "b", "k5", "ep_1", at(41));
        Upload unscheduled = fx.upload(TENANT, null, "b", "k6", "ep_1", null);
        Upload finalButDue = StoreFixtures.next(fx.upload(TENANT, null, "b", "k7", "ep_1", null),
                UploadStatus.EXPIRED, at(1), at(1));
        store.insertUploads(List.of(second, first, third, exactlyNow, later, unscheduled, finalButDue));

        assertThat(store.dueUploads(at(40), 2)).containsExactly(first, second);
        assertThat(store.dueUploads(at(40), 10)).containsExactly(first, second, third, exactlyNow);
        assertThat(store.dueUploads(at(5), 10)).isEmpty();
    }

    @Test
    void updateUploadRefusesAStaleVersion() {
        Upload u = fx.upload(TENANT, null, "b", "k", "ep_1", at(10));
        store.insertUploads(List.of(u));
        Upload v1 = StoreFixtures.next(u, UploadStatus.VERIFYING, at(20), at(10));

        assertThat(store.updateUpload(v1)).isTrue();
        assertThat(store.findUpload(u.id())).contains(v1);

        Upload racingV1 = StoreFixtures.next(u, UploadStatus.EXPIRED, null, at(11));
        assertThat(store.updateUpload(racingV1)).as("built on version 0, which is gone").isFalse();
        Upload skipping = StoreFixtures.next(StoreFixtures.next(v1, UploadStatus.VERIFIED, null, at(12)),
                UploadStatus.VERIFIED, null, at(13));
        assertThat(store.updateUpload(skipping)).as("version 3 on top of 1").isFalse();
        assertThat(store.findUpload(u.id())).contains(v1);

        Upload v2 = StoreFixtures.next(v1, UploadStatus.VERIFIED, null, at(21));
        assertThat(store.updateUpload(v2)).isTrue();
        assertThat(store.findUpload(u.id())).contains(v2);
        assertThat(store.updateUpload(StoreFixtures.next(fx.upload(TENANT, null, "b", "k", "ep_1", null),
                UploadStatus.VERIFIED, null, at(1)))).as("unknown upload").isFalse();
    }

    @Test
    void updateUploadAndPublishStoresBothOrNothing() {
        Upload u = fx.upload(TENANT, null, "b", "k", "ep_1", at(10));
        store.insertUploads(List.of(u));
        Upload verified = StoreFixtures.next(u, UploadStatus.VERIFIED, null, at(20));
        Event completed = fx.event(TENANT, "upload.completed:b/k#etag1");
        Delivery d = fx.delivery(completed, "ep_1", at(20));

        assertThat(store.updateUploadAndPublish(verified, completed, List.of(d))).isTrue();
        assertThat(store.findUpload(u.id())).contains(verified);
        assertThat(store.findEvent(TENANT, completed.id())).contains(completed);
        assertThat(store.findDelivery(TENANT, d.id())).contains(d);

        Upload stale = StoreFixtures.next(u, UploadStatus.REJECTED, null, at(21));
        Event failedEvent = fx.event(TENANT, "upload.failed:b/k");
        Delivery d2 = fx.delivery(failedEvent, "ep_1", at(21));
        assertThat(store.updateUploadAndPublish(stale, failedEvent, List.of(d2))).isFalse();
        assertThat(store.findUpload(u.id())).contains(verified);
        assertThat(store.findEvent(TENANT, failedEvent.id())).isEmpty();
        assertThat(store.findDelivery(TENANT, d2.id())).isEmpty();
    }

    @Test
    void updateUploadAndPublishWithAUsedIdempotencyKeyStoresNothing() {
        Upload u = fx.upload(TENANT, null, "b", "k", "ep_1", at(10));
        store.insertUploads(List.of(u));
        Upload verifying = StoreFixtures.next(u, UploadStatus.VERIFYING, at(15), at(12));
        Event first = fx.event(TENANT, "upload.completed:b/k#etag1");
        assertThat(store.updateUploadAndPublish(verifying, first, List.of(fx.delivery(first, "ep_1", at(12)))))
                .isTrue();

        // A second detector (notification and poller at once) completes the same object again.
        Upload verified = StoreFixtures.next(verifying, UploadStatus.VERIFIED, null, at(20));
        Event again = fx.event(TENANT, "upload.completed:b/k#etag1");
        Delivery d2 = fx.delivery(again, "ep_1", at(20));

        assertThat(store.updateUploadAndPublish(verified, again, List.of(d2))).isFalse();
        assertThat(store.findUpload(u.id())).contains(verifying);
        assertThat(store.findEvent(TENANT, again.id())).isEmpty();
        assertThat(store.findDelivery(TENANT, d2.id())).isEmpty();
        assertThat(total(store.countByStatus())).isEqualTo(1);
    }

    // ---- close ----------------------------------------------------------------------------------

    @Test
    void closeIsIdempotent() {
        DeliveryStore extra = newStore();
        extra.close();
        extra.close();
        cleanup(extra);
        assertThat(store.findEvent(TENANT, "evt_unknown")).as("other stores are unaffected").isEmpty();
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** A lease of {@code owner} until {@code until}. */
    protected static Lease lease(String owner, Instant until) {
        return new Lease(owner, until);
    }

    /** Claims one delivery for {@code owner} at {@code now}, with a 60-second lease, and checks it was claimed. */
    protected DeliveryTask claimOne(String deliveryId, String owner, Instant now) {
        List<DeliveryTask> tasks = store.claim(List.of(deliveryId), lease(owner, now.plusSeconds(60)), now);
        assertThat(tasks).as("claim of " + deliveryId).hasSize(1);
        return tasks.get(0);
    }

    /** Publishes {@code n} deliveries of one event of {@link #TENANT}, due at {@link StoreFixtures#T0}. */
    protected List<String> publishDue(int n) {
        Event event = fx.event(TENANT);
        List<Delivery> deliveries = IntStream.range(0, n).mapToObj(i -> fx.delivery(event, "ep_" + (i % 7), T0))
                .toList();
        store.publish(event, deliveries);
        return deliveries.stream().map(Delivery::id).toList();
    }

    private DeliveryStatus status(String deliveryId) {
        return store.findDelivery(TENANT, deliveryId).orElseThrow().status();
    }

    private static long total(Map<DeliveryStatus, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    private static <T> List<T> concat(Collection<T> a, Collection<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static List<String> newestFirst(Collection<Delivery> deliveries) {
        return deliveries.stream().map(Delivery::id).sorted((a, b) -> b.compareTo(a)).toList();
    }

    private List<String> pageThrough(QueryBuilder q, int pageSize) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        for (int pages = 0; pages < 100; pages++) {
            Page<Delivery> page = store.listDeliveries(q.limit(pageSize).before(cursor).build());
            assertThat(page.items().size()).isLessThanOrEqualTo(pageSize);
            page.items().forEach(d -> ids.add(d.id()));
            cursor = page.nextCursor();
            if (cursor == null) {
                return ids;
            }
        }
        throw new AssertionError("paging did not end");
    }

    private static void assertClaimedExactlyOnce(List<List<DeliveryTask>> claimed, List<String> ids) {
        Map<String, Long> times = claimed.stream().flatMap(List::stream).map(t -> t.delivery().id())
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(times.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(times.values()).allMatch(n -> n == 1L);
    }

    /** Runs {@code calls} calls of {@code work} on {@code threads} threads released together; returns results in call order. */
    private static <T> List<T> runConcurrently(int threads, int calls, IndexedCall<T> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(Math.min(threads, calls));
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                int index = i;
                Callable<T> task = () -> {
                    ready.countDown();
                    go.await();
                    return work.call(index);
                };
                futures.add(pool.submit(task));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @FunctionalInterface
    private interface IndexedCall<T> {
        T call(int index) throws Exception;
    }

    private static QueryBuilder query(String tenant) {
        return new QueryBuilder(tenant);
    }

    /** Builds {@link DeliveryQuery} values one filter at a time. */
    private static final class QueryBuilder {
        private final String tenant;
        private String endpoint;
        private String event;
        private DeliveryStatus status;
        private String before;
        private int limit = 100;

        QueryBuilder(String tenant) {
            this.tenant = tenant;
        }

        QueryBuilder endpoint(String value) {
            endpoint = value;
            return this;
        }

        QueryBuilder event(String value) {
            event = value;
            return this;
        }

        QueryBuilder status(DeliveryStatus value) {
            status = value;
            return this;
        }

        QueryBuilder before(String value) {
            before = value;
            return this;
        }

        QueryBuilder limit(int value) {
            limit = value;
            return this;
        }

        DeliveryQuery build() {
            return new DeliveryQuery(tenant, endpoint, event, status, before, limit);
        }
    }
}
