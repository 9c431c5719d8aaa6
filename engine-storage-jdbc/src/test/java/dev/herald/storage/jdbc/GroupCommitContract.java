package dev.herald.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.herald.engine.model.Delivery;
import dev.herald.engine.model.Event;
import dev.herald.engine.model.Ids;
import dev.herald.engine.spi.StoreException;
import dev.herald.engine.spi.StoreFixtures;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit of publishes, on each database: concurrent publishes are stored once each, share
 * transactions, and a bad one in a group fails as it would alone while the others are stored.
 */
abstract class GroupCommitContract {
    private static final String TENANT = "t";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final StoreFixtures fx = new StoreFixtures();
    private final Gate gate = new Gate();
    private ExecutorService threads;
    private DataSource dataSource;
    private JdbcDeliveryStore store;

    /** A data source on a new, empty database with room for eight connections. */
    protected abstract DataSource newDataSource();

    @BeforeEach
    void open() {
        dataSource = newDataSource();
        store = JdbcDeliveryStore.builder().dataSource(gate.wrap(dataSource)).build();
        threads = Executors.newFixedThreadPool(16);
    }

    @AfterEach
    void close() throws InterruptedException {
        gate.open();
        threads.shutdownNow();
        assertThat(threads.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
        store.close();
        if (dataSource instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // the test is over
            }
        }
    }

    @Test
    void concurrentPublishesAreEachStoredOnceAndGetTheirOwnId() {
        int publishers = 8;
        int each = 40;
        List<List<Event>> events = new ArrayList<>();
        List<List<List<Delivery>>> deliveries = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            List<Event> mine = new ArrayList<>();
            List<List<Delivery>> theirs = new ArrayList<>();
            for (int i = 0; i < each; i++) {
                Event e = fx.event(TENANT, i % 2 == 0 ? "key-" + p + "-" + i : null);
                mine.add(e);
                theirs.add(List.of(fx.delivery(e, "ep_1", StoreFixtures.T0), fx.delivery(e, "ep_2", StoreFixtures.T0)));
            }
            events.add(mine);
            deliveries.add(theirs);
        }
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<List<String>>> results = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            int publisher = p;
            results.add(CompletableFuture.supplyAsync(() -> {
                awaitLatch(start);
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < each; i++) {
                    ids.add(store.publish(events.get(publisher).get(i), deliveries.get(publisher).get(i)));
                }
                return ids;
            }, threads));
        }
        start.countDown();

        for (int p = 0; p < publishers; p++) {
            List<String> expected = events.get(p).stream().map(Event::id).toList();
            assertThat(results.get(p)).succeedsWithin(WAIT).isEqualTo(expected);
        }
        int total = publishers * each;
        assertThat(count("SELECT COUNT(*) FROM herald_events")).isEqualTo(total);
        assertThat(count("SELECT COUNT(DISTINCT id) FROM herald_events")).isEqualTo(total);
        assertThat(count("SELECT COUNT(*) FROM herald_deliveries")).isEqualTo(2L * total);
        assertThat(count("SELECT COUNT(*) FROM herald_delivery_state")).isEqualTo(2L * total);
        for (List<Event> mine : events) {
            for (Event e : mine) {
                assertThat(store.findEvent(TENANT, e.id())).contains(e);
            }
        }
        assertThat(store.publishGroups().fallbacks()).isZero();
    }

    @Test
    void publishesQueuedBehindOneBeingWrittenShareOneTransaction() {
        Event stored = fx.event(TENANT, "taken");
        assertThat(store.publish(stored, List.of())).isEqualTo(stored.id());
        long turnsBefore = store.publishGroups().turns();

        Event first = fx.event(TENANT);
        CompletableFuture<String> leader = holdTheNextTurn(first);
        List<Event> queued = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            queued.add(fx.event(TENANT, i < 2 ? "same" : null));
        }
        Event retake = fx.event(TENANT, "taken");
        queued.add(retake);
        List<CompletableFuture<String>> followers = queueInOrder(queued);
        gate.open();

        assertThat(leader).succeedsWithin(WAIT).isEqualTo(first.id());
        for (int i = 2; i < 10; i++) {
            assertThat(followers.get(i)).succeedsWithin(WAIT).isEqualTo(queued.get(i).id());
        }
        // Two publishes with one key in one group: the second gets the first's id, as it would after it.
        assertThat(followers.get(0)).succeedsWithin(WAIT).isEqualTo(queued.get(0).id());
        assertThat(followers.get(1)).succeedsWithin(WAIT).isEqualTo(queued.get(0).id());
        assertThat(followers.get(10)).succeedsWithin(WAIT).isEqualTo(stored.id());
        assertThat(store.findEvent(TENANT, queued.get(1).id())).isEmpty();
        assertThat(store.findEvent(TENANT, retake.id())).isEmpty();
        assertThat(count("SELECT COUNT(*) FROM herald_deliveries")).isEqualTo(2L * (1 + 9));

        // The leader's own publish, then the eleven that queued behind it in one shared transaction.
        assertThat(store.publishGroups().turns() - turnsBefore).isEqualTo(2);
        assertThat(store.publishGroups().sharedCommits()).isEqualTo(1);
        assertThat(store.publishGroups().fallbacks()).isZero();
    }

    @Test
    void aBadPublishInAGroupFailsAsItWouldAloneAndTheOthersAreStored() {
        Event tooLongType = new Event(fx.id(Ids.EVENT), TENANT, "x".repeat(Limits.EVENT_TYPE + 1), StoreFixtures.T0,
                "{}", null, null);
        Throwable alone = catchFailure(tooLongType);
        assertThat(alone).isInstanceOf(StoreException.class).hasMessageContaining("event type");
        Event stored = fx.event(TENANT, "taken");
        store.publish(stored, List.of());

        Event first = fx.event(TENANT);
        CompletableFuture<String> leader = holdTheNextTurn(first);
        List<Event> queued = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            queued.add(fx.event(TENANT));
        }
        queued.add(3, tooLongType);
        queued.add(fx.event(TENANT, "taken"));
        List<CompletableFuture<String>> followers = queueInOrder(queued);
        gate.open();

        assertThat(leader).succeedsWithin(WAIT).isEqualTo(first.id());
        assertThat(followers.get(3)).failsWithin(WAIT).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOf(alone.getClass()).withMessage(alone.getMessage());
        for (int i = 0; i < queued.size() - 1; i++) {
            if (i != 3) {
                assertThat(followers.get(i)).succeedsWithin(WAIT).isEqualTo(queued.get(i).id());
                assertThat(store.findEvent(TENANT, queued.get(i).id())).contains(queued.get(i));
            }
        }
        assertThat(followers.get(queued.size() - 1)).succeedsWithin(WAIT).isEqualTo(stored.id());
        assertThat(store.findEvent(TENANT, tooLongType.id())).isEmpty();
        assertThat(count("SELECT COUNT(*) FROM herald_events")).isEqualTo(1 + 1 + 6);
        assertThat(count("SELECT COUNT(*) FROM herald_deliveries")).isEqualTo(2L * (1 + 6));
        // The shared transaction was rolled back whole and each of its publishes ran again alone.
        assertThat(store.publishGroups().sharedCommits()).isZero();
        assertThat(store.publishGroups().fallbacks()).isEqualTo(queued.size());
    }

    @Test
    void twoPublishesWithOneKeyInAFailingGroupStoreOneEvent() {
        Event tooLongType = new Event(fx.id(Ids.EVENT), TENANT, "x".repeat(Limits.EVENT_TYPE + 1), StoreFixtures.T0,
                "{}", null, null);
        CompletableFuture<String> leader = holdTheNextTurn(fx.event(TENANT));
        List<Event> queued = List.of(fx.event(TENANT, "k"), tooLongType, fx.event(TENANT, "k"));
        List<CompletableFuture<String>> followers = queueInOrder(queued);
        gate.open();

        assertThat(leader).succeedsWithin(WAIT);
        assertThat(followers.get(1)).failsWithin(WAIT);
        String a = followers.get(0).join();
        String b = followers.get(2).join();
        // Run again alone, concurrently, as two racing publishes with one key always did: one event wins.
        assertThat(a).isEqualTo(b).isIn(queued.get(0).id(), queued.get(2).id());
        assertThat(count("SELECT COUNT(*) FROM herald_events WHERE idempotency_key = 'k'")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM herald_deliveries WHERE event_id = '" + a + "'")).isEqualTo(2);
        assertThat(count("SELECT COUNT(*) FROM herald_deliveries")).isEqualTo(2L * 2);
    }

    // ---- helpers ----

    /** Publishes {@code event} on another thread and holds it where it takes its connection. */
    private CompletableFuture<String> holdTheNextTurn(Event event) {
        gate.close();
        CompletableFuture<String> leader = publishAsync(event);
        await().atMost(WAIT).until(gate::holding);
        return leader;
    }

    /** Publishes each on its own thread, the next only once the one before is waiting for its turn. */
    private List<CompletableFuture<String>> queueInOrder(List<Event> events) {
        List<CompletableFuture<String>> futures = new ArrayList<>();
        for (Event e : events) {
            futures.add(publishAsync(e));
            int expected = futures.size();
            await().atMost(WAIT).until(() -> store.publishGroups().waiting() == expected);
        }
        return futures;
    }

    private CompletableFuture<String> publishAsync(Event e) {
        List<Delivery> ds = List.of(fx.delivery(e, "ep_1", StoreFixtures.T0), fx.delivery(e, "ep_2", StoreFixtures.T0));
        return CompletableFuture.supplyAsync(() -> store.publish(e, ds), threads);
    }

    private Throwable catchFailure(Event e) {
        Throwable[] caught = new Throwable[1];
        assertThatThrownBy(() -> store.publish(e, List.of(fx.delivery(e, "ep_1", StoreFixtures.T0))))
                .satisfies(t -> caught[0] = t);
        return caught[0];
    }

    private long count(String sql) {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** While closed, holds the next caller of {@code getConnection} until opened. */
    private static final class Gate {
        private volatile CountDownLatch latch = new CountDownLatch(0);
        private final AtomicBoolean armed = new AtomicBoolean();
        private final AtomicInteger holding = new AtomicInteger();

        void close() {
            latch = new CountDownLatch(1);
            armed.set(true);
        }

        void open() {
            latch.countDown();
        }

        boolean holding() {
            return holding.get() > 0;
        }

        DataSource wrap(DataSource real) {
            return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("getConnection") && armed.compareAndSet(true, false)) {
                            holding.incrementAndGet();
                            try {
                                latch.await();
                            } finally {
                                holding.decrementAndGet();
                            }
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }
}
