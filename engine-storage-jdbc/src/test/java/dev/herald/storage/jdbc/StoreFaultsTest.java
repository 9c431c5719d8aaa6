package dev.herald.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.herald.engine.model.Attempt;
import dev.herald.engine.model.Delivery;
import dev.herald.engine.model.DeliveryStatus;
import dev.herald.engine.model.Endpoint;
import dev.herald.engine.model.EndpointSecret;
import dev.herald.engine.model.ErrorKind;
import dev.herald.engine.model.Event;
import dev.herald.engine.spi.Lease;
import dev.herald.engine.spi.Outcome;
import dev.herald.engine.spi.StoreException;
import dev.herald.engine.spi.StoreFixtures;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bad input and a database that fails: clear errors, no payload in them, nothing half-written. */
class StoreFaultsTest {
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final String TENANT = "t";
    private static final Instant T0 = StoreFixtures.T0;

    private final StoreFixtures fx = new StoreFixtures();
    private JdbcDeliveryStore store;

    @BeforeEach
    void open() {
        store = JdbcDeliveryStore.h2Memory("faults-" + NAMES.incrementAndGet());
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aConnectionLostInTheMiddleOfAPublishLeavesNothingOnH2() {
        HikariDataSource pool = EmbeddedH2.pool("faults-mid-" + NAMES.incrementAndGet());
        try {
            assertPublishInterruptedLeavesNothing(pool);
        } finally {
            pool.close();
        }
    }

    @Test
    void aConnectionLostInTheMiddleOfAPublishLeavesNothingOnPostgres() {
        HikariDataSource pool = EmbeddedPostgresServer.pool(EmbeddedPostgresServer.newDatabase("faults"), 2);
        try {
            assertPublishInterruptedLeavesNothing(pool);
        } finally {
            pool.close();
        }
    }

    private void assertPublishInterruptedLeavesNothing(HikariDataSource pool) {
        FaultyDataSource faults = FaultyDataSource.control();
        JdbcDeliveryStore faulty = JdbcDeliveryStore.builder()
                .dataSource(FaultyDataSource.wrap(pool, faults)).build();
        JdbcDeliveryStore healthy = JdbcDeliveryStore.builder().dataSource(pool).build();
        Event event = fx.event(TENANT, "key-1");
        Delivery d1 = fx.delivery(event, "ep_1", T0);
        Delivery d2 = fx.delivery(event, "ep_2", T0);
        faults.failBatchesOf("INSERT INTO herald_deliveries");

        assertThatThrownBy(() -> faulty.publish(event, List.of(d1, d2)))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("publish failed")
                .hasMessageContaining("connection lost")
                .hasMessageNotContaining("résumé");

        assertThat(healthy.findEvent(TENANT, event.id())).isEmpty();
        assertThat(healthy.findDelivery(TENANT, d1.id())).isEmpty();
        assertThat(healthy.countByStatus().values().stream().mapToLong(Long::longValue).sum()).isZero();

        faults.heal();
        assertThat(faulty.publish(event, List.of(d1, d2))).as("the key was not taken").isEqualTo(event.id());
        assertThat(healthy.findDelivery(TENANT, d2.id())).contains(d2);
    }

    @Test
    void aConnectionLostWhileRecordingLeavesTheDeliveriesInFlight() {
        HikariDataSource pool = EmbeddedH2.pool("faults-record-" + NAMES.incrementAndGet());
        try {
            FaultyDataSource faults = FaultyDataSource.control();
            JdbcDeliveryStore faulty = JdbcDeliveryStore.builder()
                    .dataSource(FaultyDataSource.wrap(pool, faults)).build();
            Event event = fx.event(TENANT);
            Delivery d = fx.delivery(event, "ep_1", T0);
            faulty.publish(event, List.of(d));
            // A first attempt that failed, due again at once: the state row holds it.
            faulty.claim(List.of(d.id()), new Lease("w", T0.plusSeconds(60)), T0);
            Outcome retry = fx.finish(d.id(), "w", DeliveryStatus.SCHEDULED, 1, T0.plusSeconds(1));
            assertThat(faulty.record(List.of(retry))).containsExactly(d.id());
            faulty.claim(List.of(d.id()), new Lease("w", T0.plusSeconds(60)), T0.plusSeconds(1));
            // The second attempt moves the first to the log, and that insert fails.
            faults.failBatchesOf("INSERT INTO herald_attempts");

            assertThatThrownBy(() -> faulty.record(List.of(fx.finish(d.id(), "w", DeliveryStatus.SUCCEEDED, 2,
                    T0.plusSeconds(2))))).isInstanceOf(StoreException.class);

            Delivery after = faulty.findDelivery(TENANT, d.id()).orElseThrow();
            assertThat(after.status()).as("the update was rolled back with the attempt").isEqualTo(DeliveryStatus.IN_FLIGHT);
            assertThat(after.attempts()).isEqualTo(1);
            assertThat(faulty.attempts(TENANT, d.id())).extracting(Attempt::id).containsExactly(retry.attempt().id());
        } finally {
            pool.close();
        }
    }

    @Test
    void aClosedStoreOrAnUnreachableDatabaseFailsWithAStoreException() {
        Event event = fx.event(TENANT);
        store.close();
        assertThatThrownBy(() -> store.publish(event, List.of(fx.delivery(event, "ep_1", T0))))
                .isInstanceOf(StoreException.class).hasMessageStartingWith("publish failed");

        assertThatThrownBy(() -> JdbcDeliveryStore.builder().dataSource(FaultyDataSource.unreachable()).build())
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("database unreachable");
        JdbcDeliveryStore down = JdbcDeliveryStore.builder().dataSource(FaultyDataSource.unreachable())
                .dialect(JdbcDialect.POSTGRESQL).migrate(false).build();
        assertThatThrownBy(() -> down.publish(event, List.of())).isInstanceOf(StoreException.class)
                .hasMessage("publish failed: database unreachable or connection lost (SQLState 08001, error code 0)");
    }

    @Test
    void oversizedEventDataIsRefusedWithoutQuotingIt() {
        String data = "{\"x\":\"" + "a".repeat(Limits.EVENT_DATA) + "\"}";
        Event big = new Event("evt_big", TENANT, "upload.completed", T0, data, null, null);

        assertThatThrownBy(() -> store.publish(big, List.of()))
                .isInstanceOf(StoreException.class)
                .hasMessage("event data is " + data.length() + " characters long; this store keeps at most "
                        + Limits.EVENT_DATA);
        assertThat(store.findEvent(TENANT, "evt_big")).isEmpty();
    }

    @Test
    void eventDataUpToTheLimitIsStoredWhole() {
        String data = "{\"x\":\"" + "é".repeat(Limits.EVENT_DATA - 8) + "\"}";
        Event big = new Event("evt_big", TENANT, "upload.completed", T0, data, null, null);
        store.publish(big, List.of());
        assertThat(store.findEvent(TENANT, "evt_big").orElseThrow().data()).isEqualTo(data);
    }

    @Test
    void anOversizedSecretIsRefusedWithoutQuotingIt() {
        String secret = "whsec_" + "s".repeat(Limits.SECRETS);
        Endpoint e = new Endpoint("ep_1", TENANT, URI.create("https://r.example/"),
                List.of(new EndpointSecret(secret, null)), Set.of(), true, "", Map.of(), 0, 0, false, T0, T0);

        assertThatThrownBy(() -> store.insertEndpoint(e))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("endpoint secrets is")
                .hasMessageNotContaining("sssss");
        assertThat(store.findEndpoint(TENANT, "ep_1")).isEmpty();
    }

    @Test
    void anOversizedResponseBodyRefusesTheWholeRecord() {
        Event event = fx.event(TENANT);
        Delivery d = fx.delivery(event, "ep_1", T0);
        Delivery other = fx.delivery(event, "ep_2", T0);
        store.publish(event, List.of(d, other));
        store.claim(List.of(d.id(), other.id()), new Lease("w", T0.plusSeconds(60)), T0);
        Attempt huge = new Attempt("att_1", d.id(), 1, T0, Duration.ofMillis(5), 500, "b".repeat(Limits.RESPONSE_BODY + 1),
                ErrorKind.HTTP_STATUS, "HTTP 500");

        assertThatThrownBy(() -> store.record(List.of(
                fx.finish(other.id(), "w", DeliveryStatus.SUCCEEDED, 1, T0),
                new Outcome(d.id(), "w", huge, DeliveryStatus.SCHEDULED, 1, T0.plusSeconds(30), "HTTP 500", T0))))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("response body is");
        assertThat(store.findDelivery(TENANT, other.id()).orElseThrow().status()).isEqualTo(DeliveryStatus.IN_FLIGHT);
        assertThat(store.attempts(TENANT, other.id())).isEmpty();
    }

    @Test
    void aDuplicateIsReportedWithoutValues() {
        Event event = fx.event(TENANT);
        store.publish(event, List.of());
        assertThatThrownBy(() -> store.publish(event, List.of()))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("publish failed: a record with the same id or key is already stored (SQLState 23505")
                .hasMessageNotContaining(event.id());
    }

    @Test
    void instantsAreStoredAsUtcMicrosecondsWhateverTheJvmTimeZone() throws Exception {
        Instant precise = Instant.parse("2026-07-01T23:59:59.123456789Z");
        Event event = new Event("evt_1", TENANT, "t", precise, "{}", null, null);
        Delivery d = Delivery.scheduled("dlv_1", event, "ep_1", precise, precise);
        store.publish(event, List.of(d));

        assertThat(store.findEvent(TENANT, "evt_1").orElseThrow().occurredAt())
                .isEqualTo(Instant.parse("2026-07-01T23:59:59.123456Z"));
        try (HikariDataSource raw = EmbeddedH2.pool("faults-" + NAMES.get());
             Connection c = raw.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT next_attempt_at FROM herald_delivery_state WHERE id = 'dlv_1'")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(1_782_950_399_123_456L);
        }
    }
}
