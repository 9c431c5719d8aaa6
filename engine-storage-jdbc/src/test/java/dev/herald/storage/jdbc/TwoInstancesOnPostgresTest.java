package dev.herald.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.herald.engine.model.Attempt;
import dev.herald.engine.model.Delivery;
import dev.herald.engine.model.DeliveryStatus;
import dev.herald.engine.model.Event;
import dev.herald.engine.model.Ids;
import dev.herald.engine.spi.DeliveryTask;
import dev.herald.engine.spi.Lease;
import dev.herald.engine.spi.Outcome;
import dev.herald.engine.spi.StoreException;
import dev.herald.engine.spi.StoreFixtures;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two store instances, each with its own pool, on one PostgreSQL, as two Herald hosts would run: every
 * delivery is completed exactly once while both are healthy, and none is lost when one dies holding leases.
 */
class TwoInstancesOnPostgresTest {
    private static final int DELIVERIES = 10_000;
    private static final int THREADS_PER_INSTANCE = 3;
    private static final Instant T0 = StoreFixtures.T0;
    /** Shared by the worker threads; {@link Random} is thread-safe. */
    private static final Ids ATTEMPT_IDS = new Ids(Clock.systemUTC(), new Random());

    private final StoreFixtures fx = new StoreFixtures();
    private String database;
    private HikariDataSource poolA;
    private HikariDataSource poolB;
    private JdbcDeliveryStore a;
    private JdbcDeliveryStore b;

    @BeforeEach
    void start() {
        database = EmbeddedPostgresServer.newDatabase("two_instances");
        poolA = EmbeddedPostgresServer.pool(database, THREADS_PER_INSTANCE);
        poolB = EmbeddedPostgresServer.pool(database, THREADS_PER_INSTANCE);
        a = JdbcDeliveryStore.builder().dataSource(poolA).build();
        b = JdbcDeliveryStore.builder().dataSource(poolB).build();
        assertThat(a.dialect()).isEqualTo(JdbcDialect.POSTGRESQL);
        for (int e = 0; e < DELIVERIES / 100; e++) {
            Event event = fx.event("tenant-" + e % 3);
            List<Delivery> deliveries = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                deliveries.add(fx.delivery(event, "ep_" + i % 10, T0.plusMillis(i)));
            }
            (e % 2 == 0 ? a : b).publish(event, deliveries);
        }
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
        poolA.close();
        poolB.close();
    }

    @Test
    void twoHealthyInstancesCompleteEveryDeliveryExactlyOnce() throws Exception {
        Map<String, String> completedBy = new ConcurrentHashMap<>();
        AtomicInteger duplicates = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(2 * THREADS_PER_INSTANCE);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS_PER_INSTANCE; t++) {
                futures.add(workers.submit(() -> drain(a, "a-" + Thread.currentThread().getId(), T0.plusSeconds(1),
                        completedBy, duplicates)));
                futures.add(workers.submit(() -> drain(b, "b-" + Thread.currentThread().getId(), T0.plusSeconds(1),
                        completedBy, duplicates)));
            }
            int total = 0;
            for (Future<Integer> f : futures) {
                total += f.get(120, TimeUnit.SECONDS);
            }
            long instancesWorking = completedBy.values().stream().map(owner -> owner.substring(0, 1)).distinct().count();
            assertThat(duplicates).hasValue(0);
            assertThat(total).isEqualTo(DELIVERIES);
            assertThat(completedBy).hasSize(DELIVERIES);
            assertThat(instancesWorking).as("both instances took work").isEqualTo(2L);
        } finally {
            workers.shutdownNow();
        }
        assertThat(a.countByStatus()).containsEntry(DeliveryStatus.SUCCEEDED, (long) DELIVERIES)
                .containsEntry(DeliveryStatus.IN_FLIGHT, 0L).containsEntry(DeliveryStatus.SCHEDULED, 0L);
    }

    @Test
    void deliveriesLeasedByAnInstanceThatDiedAreFinishedByTheOther() throws Exception {
        // Instance a claims a share and dies before recording anything: its pool goes away with it.
        List<DeliveryTask> orphaned = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            orphaned.addAll(a.claimDue(new Lease("a", T0.plusSeconds(30)), T0.plusSeconds(1), 200));
        }
        assertThat(orphaned).hasSize(1000);
        poolA.close();
        assertThatThrownBy(() -> a.record(List.of(success(orphaned.get(0), "a", T0.plusSeconds(2)))))
                .isInstanceOf(StoreException.class);

        Map<String, String> completedBy = new ConcurrentHashMap<>();
        AtomicInteger duplicates = new AtomicInteger();
        int beforeExpiry = drain(b, "b", T0.plusSeconds(2), completedBy, duplicates);
        assertThat(beforeExpiry).as("everything but the leased ones").isEqualTo(DELIVERIES - 1000);
        assertThat(b.countByStatus()).containsEntry(DeliveryStatus.IN_FLIGHT, 1000L);

        int afterExpiry = drain(b, "b", T0.plusSeconds(31), completedBy, duplicates);

        assertThat(afterExpiry).isEqualTo(1000);
        assertThat(duplicates).hasValue(0);
        assertThat(completedBy).hasSize(DELIVERIES);
        assertThat(b.countByStatus()).containsEntry(DeliveryStatus.SUCCEEDED, (long) DELIVERIES)
                .containsEntry(DeliveryStatus.IN_FLIGHT, 0L);
        for (DeliveryTask t : orphaned.subList(0, 20)) {
            assertThat(b.attempts(t.delivery().tenant(), t.delivery().id())).hasSize(1);
        }
    }

    @Test
    void claimsStickWhenTheHostsPoolHandsOutConnectionsWithoutAutoCommit() {
        HikariDataSource manual = EmbeddedPostgresServer.pool(database, 2, false);
        try (JdbcDeliveryStore store = JdbcDeliveryStore.builder().dataSource(manual).build()) {
            List<DeliveryTask> claimed = store.claimDue(new Lease("manual", T0.plusSeconds(60)), T0.plusSeconds(1), 10);
            assertThat(claimed).hasSize(10);
            assertThat(b.countByStatus()).containsEntry(DeliveryStatus.IN_FLIGHT, 10L);
            assertThat(store.record(List.of(success(claimed.get(0), "manual", T0.plusSeconds(2)))))
                    .containsExactly(claimed.get(0).delivery().id());
            assertThat(b.findDelivery(claimed.get(0).delivery().tenant(), claimed.get(0).delivery().id()).orElseThrow()
                    .status()).isEqualTo(DeliveryStatus.SUCCEEDED);
        } finally {
            manual.close();
        }
    }

    /** Claims and completes until nothing is claimable at {@code now}; returns how many it completed. */
    private static int drain(JdbcDeliveryStore store, String owner, Instant now, Map<String, String> completedBy,
                             AtomicInteger duplicates) {
        int done = 0;
        while (true) {
            List<DeliveryTask> tasks = store.claimDue(new Lease(owner, now.plusSeconds(60)), now, 100);
            if (tasks.isEmpty()) {
                return done;
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (DeliveryTask t : tasks) {
                if (completedBy.putIfAbsent(t.delivery().id(), owner) != null) {
                    duplicates.incrementAndGet();
                }
                outcomes.add(success(t, owner, now));
            }
            done += store.record(outcomes).size();
        }
    }

    private static Outcome success(DeliveryTask task, String owner, Instant at) {
        String id = task.delivery().id();
        int number = task.delivery().attempts() + 1;
        Attempt attempt = new Attempt(ATTEMPT_IDS.next(Ids.ATTEMPT), id, number, at, Duration.ofMillis(3), 204, "",
                null, null);
        return new Outcome(id, owner, attempt, DeliveryStatus.SUCCEEDED, number, at, null, at);
    }
}
