package dev.herald.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.herald.engine.model.Attempt;
import dev.herald.engine.model.Delivery;
import dev.herald.engine.model.DeliveryStatus;
import dev.herald.engine.spi.DeliveryQuery;
import dev.herald.engine.spi.DeliveryTask;
import dev.herald.engine.spi.Lease;
import dev.herald.engine.spi.Outcome;
import dev.herald.engine.spi.Page;
import dev.herald.engine.spi.StoreFixtures;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database written by the first schema, with deliveries in every state, keeps working after the later
 * scripts: states, leases, attempts, dead letters and retention read as they were written.
 */
class SchemaUpgradeTest {
    private static final Instant T0 = StoreFixtures.T0;
    private static final String TENANT = "t-upgrade";
    private static final String OTHER = "t-other";

    @TempDir
    Path dir;

    @Test
    void anH2FileWrittenByTheFirstSchemaIsUpgradedWithItsData() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("herald") + ";WRITE_DELAY=0";
        try (HikariDataSource old = h2Pool(url)) {
            assertThat(Migrations.run(old, Dialect.of(JdbcDialect.H2), List.of("V1__init.sql"))).isEqualTo(1);
            writeFirstSchemaRows(old);
        }
        // Reopened as an existing file, as a new release of the host would.
        try (HikariDataSource pool = h2Pool(url)) {
            assertUpgraded(pool, JdbcDialect.H2);
        }
    }

    @Test
    void aPostgresDatabaseWrittenByTheFirstSchemaIsUpgradedWithItsData() throws Exception {
        String db = EmbeddedPostgresServer.newDatabase("upgrade");
        try (HikariDataSource old = EmbeddedPostgresServer.pool(db, 2)) {
            assertThat(Migrations.run(old, Dialect.of(JdbcDialect.POSTGRESQL), List.of("V1__init.sql"))).isEqualTo(1);
            writeFirstSchemaRows(old);
        }
        try (HikariDataSource pool = EmbeddedPostgresServer.pool(db, 2)) {
            assertUpgraded(pool, JdbcDialect.POSTGRESQL);
        }
    }

    private static HikariDataSource h2Pool(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("sa");
        config.setMaximumPoolSize(2);
        return new HikariDataSource(config);
    }

    private static long micros(Instant at) {
        return Jdbc.micros(at);
    }

    /** Rows as the first release wrote them, through its own columns. */
    private static void writeFirstSchemaRows(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO herald_events (id, tenant, event_type, occurred_at, data, subject, idempotency_key) "
                    + "VALUES ('evt_1', '" + TENANT + "', 'upload.completed', " + micros(T0) + ", '{}', NULL, 'k-1')");
            st.execute("INSERT INTO herald_events (id, tenant, event_type, occurred_at, data, subject, idempotency_key) "
                    + "VALUES ('evt_2', '" + OTHER + "', 'upload.completed', " + micros(T0) + ", '{}', NULL, NULL)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO herald_deliveries (id, tenant, event_id, "
                    + "event_type, endpoint_id, status, attempts, next_attempt_at, last_error, created_at, updated_at, "
                    + "claimable_at, lease_owner, lease_until, dead_letter_tenant) "
                    + "VALUES (?, ?, ?, 'upload.completed', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                // due, never tried
                row(ps, "dlv_1", "ep_1", "SCHEDULED", 0, T0, null, T0, micros(T0), null, null, null);
                // claimed by worker w, lease running until T0 + 60 s
                row(ps, "dlv_2", "ep_1", "IN_FLIGHT", 0, T0, null, T0.plusSeconds(1), micros(T0), "w",
                        micros(T0.plusSeconds(60)), null);
                // delivered an hour ago
                row(ps, "dlv_3", "ep_2", "SUCCEEDED", 1, T0.minusSeconds(3600), null, T0.minusSeconds(3600), null,
                        null, null, null);
                // dead letter after two attempts
                row(ps, "dlv_4", "ep_2", "DEAD", 2, T0.minusSeconds(60), "HTTP 503", T0.minusSeconds(60), null, null,
                        null, TENANT);
                // more dead letters, for the listing's filters and order: failed for now, long dead (old
                // enough for retention), and another tenant's
                row(ps, "dlv_5", "ep_3", "FAILED", 1, T0.minusSeconds(60), "HTTP 410", T0.minusSeconds(60), null,
                        null, null, TENANT);
                row(ps, "dlv_6", "ep_2", "DEAD", 5, T0.minusSeconds(5000), "HTTP 500", T0.minusSeconds(5000), null,
                        null, null, TENANT);
                row(ps, OTHER, "evt_2", "dlv_7", "ep_3", "DEAD", 5, T0.minusSeconds(60), "HTTP 500",
                        T0.minusSeconds(60), null, null, null, OTHER);
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement(Rows.ATTEMPT_INSERT)) {
                attempt(ps, "att_3", "dlv_3", 1, T0.minusSeconds(3600), 200, null);
                attempt(ps, "att_4a", "dlv_4", 1, T0.minusSeconds(120), 503, "HTTP_STATUS");
                attempt(ps, "att_4b", "dlv_4", 2, T0.minusSeconds(60), 503, "HTTP_STATUS");
                ps.executeBatch();
            }
        }
    }

    private static void row(PreparedStatement ps, String id, String endpoint, String status, int attempts, Instant next,
                            String lastError, Instant updated, Long claimable, String owner, Long leaseUntil,
                            String deadLetterTenant) throws SQLException {
        row(ps, TENANT, "evt_1", id, endpoint, status, attempts, next, lastError, updated, claimable, owner, leaseUntil,
                deadLetterTenant);
    }

    private static void row(PreparedStatement ps, String tenant, String event, String id, String endpoint,
                            String status, int attempts, Instant next, String lastError, Instant updated,
                            Long claimable, String owner, Long leaseUntil, String deadLetterTenant)
            throws SQLException {
        ps.setString(1, id);
        ps.setString(2, tenant);
        ps.setString(3, event);
        ps.setString(4, endpoint);
        ps.setString(5, status);
        ps.setInt(6, attempts);
        ps.setLong(7, micros(next));
        ps.setString(8, lastError);
        ps.setLong(9, micros(T0.minusSeconds(7200)));
        ps.setLong(10, micros(updated));
        Rows.setLong(ps, 11, claimable);
        ps.setString(12, owner);
        Rows.setLong(ps, 13, leaseUntil);
        ps.setString(14, deadLetterTenant);
        ps.addBatch();
    }

    private static void attempt(PreparedStatement ps, String id, String delivery, int number, Instant started,
                                int status, String errorKind) throws SQLException {
        ps.setString(1, id);
        ps.setString(2, delivery);
        ps.setInt(3, number);
        ps.setLong(4, micros(started));
        ps.setLong(5, 12_000);
        ps.setInt(6, status);
        ps.setString(7, status == 200 ? "ok" : "busy");
        ps.setString(8, errorKind);
        ps.setString(9, errorKind == null ? null : "HTTP 503");
        ps.addBatch();
    }

    private static void assertUpgraded(DataSource ds, JdbcDialect dialect) throws SQLException {
        JdbcDeliveryStore store = JdbcDeliveryStore.builder().dataSource(ds).build();
        try {
            assertThat(count(ds, "SELECT MAX(version) FROM herald_schema_version")).isEqualTo(Migrations.SCRIPTS.size());
            assertDeadLettersAsWritten(store);
            // The dead letters moved to a table of their own and the state table lost its column for them.
            assertThat(count(ds, "SELECT COUNT(*) FROM herald_dead_letters")).isEqualTo(4);
            assertThat(count(ds, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.COLUMNS WHERE "
                    + "LOWER(TABLE_NAME) = 'herald_delivery_state' AND LOWER(COLUMN_NAME) = 'dead_letter_tenant'"))
                    .isZero();
            // H2 commits each DDL statement on its own, so a crash may run V4 again from its start: harmless.
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                for (String sql : Migrations.statements(Migrations.load(dialect, "V4__dead_letters.sql"))) {
                    st.execute(sql);
                }
            }
            assertThat(count(ds, "SELECT COUNT(*) FROM herald_dead_letters")).isEqualTo(4);
            assertDeadLettersAsWritten(store);
            Instant created = T0.minusSeconds(7200);
            assertThat(store.findDelivery(TENANT, "dlv_1")).contains(new Delivery("dlv_1", TENANT, "evt_1",
                    "upload.completed", "ep_1", DeliveryStatus.SCHEDULED, 0, T0, null, created, T0));
            assertThat(store.findDelivery(TENANT, "dlv_4")).contains(new Delivery("dlv_4", TENANT, "evt_1",
                    "upload.completed", "ep_2", DeliveryStatus.DEAD, 2, T0.minusSeconds(60), "HTTP 503", created,
                    T0.minusSeconds(60)));
            assertThat(store.countByStatus()).containsAllEntriesOf(Map.of(DeliveryStatus.SCHEDULED, 1L,
                    DeliveryStatus.IN_FLIGHT, 1L, DeliveryStatus.SUCCEEDED, 1L, DeliveryStatus.FAILED, 1L,
                    DeliveryStatus.DEAD, 3L));
            assertThat(store.attempts(TENANT, "dlv_4")).extracting(Attempt::id).containsExactly("att_4a", "att_4b");
            assertThat(store.listDeliveries(new DeliveryQuery(TENANT, "ep_1", null, null, null, 10)).items())
                    .extracting(Delivery::id).containsExactly("dlv_2", "dlv_1");

            // The lease taken before the upgrade still holds: only the due delivery is claimed...
            Instant now = T0.plusSeconds(2);
            List<DeliveryTask> claimed = store.claimDue(new Lease("v", now.plusSeconds(60)), now, 10);
            assertThat(claimed).extracting(t -> t.delivery().id()).containsExactly("dlv_1");
            assertThat(claimed.get(0).event().idempotencyKey()).isEqualTo("k-1");
            // ...and only its holder may record on it.
            Outcome byOther = new Outcome("dlv_2", "v", null, DeliveryStatus.SUCCEEDED, 1, now, null, now);
            Outcome byHolder = new Outcome("dlv_2", "w", new StoreFixtures().succeededAttempt("dlv_2", 1, now),
                    DeliveryStatus.SUCCEEDED, 1, now, null, now);
            assertThat(store.record(List.of(byOther))).isEmpty();
            assertThat(store.record(List.of(byHolder))).containsExactly("dlv_2");
            assertThat(store.attempts(TENANT, "dlv_2")).extracting(Attempt::id).containsExactly(byHolder.attempt().id());

            // A replayed dead letter keeps its log, and its next attempt appends to it.
            assertThat(store.replay(TENANT, null, "dlv_4", now)).containsExactly("dlv_4");
            assertThat(deadLetters(store, TENANT, DeliveryStatus.DEAD, null)).containsExactly("dlv_6");
            assertThat(store.claim(List.of("dlv_4"), new Lease("w", now.plusSeconds(60)), now)).hasSize(1);
            Outcome third = new Outcome("dlv_4", "w", new StoreFixtures().failedAttempt("dlv_4", 3, now),
                    DeliveryStatus.DEAD, 3, now, "HTTP 503", now);
            assertThat(store.record(List.of(third))).containsExactly("dlv_4");
            assertThat(store.attempts(TENANT, "dlv_4")).extracting(Attempt::id)
                    .containsExactly("att_4a", "att_4b", third.attempt().id());
            assertThat(deadLetters(store, TENANT, DeliveryStatus.DEAD, null)).containsExactly("dlv_6", "dlv_4");

            // Retention: the deliveries finished an hour ago and longer go, with their attempts.
            assertThat(store.purge(T0.minusSeconds(1800), 100)).isEqualTo(2);
            assertThat(store.findDelivery(TENANT, "dlv_3")).isEmpty();
            assertThat(store.findDelivery(TENANT, "dlv_6")).isEmpty();
            assertThat(store.attempts(TENANT, "dlv_3")).isEmpty();
            assertThat(count(ds, "SELECT COUNT(*) FROM herald_attempts WHERE delivery_id = 'dlv_3'")).isZero();
            assertThat(deadLetters(store, TENANT, DeliveryStatus.DEAD, null)).containsExactly("dlv_4");
            assertThat(count(ds, "SELECT COUNT(*) FROM herald_dead_letters")).isEqualTo(3);
        } finally {
            store.close();
        }
    }

    /** The dead letters as the first schema listed them: by tenant and status, newest first, page by page. */
    private static void assertDeadLettersAsWritten(JdbcDeliveryStore store) {
        assertThat(deadLetters(store, TENANT, DeliveryStatus.DEAD, null)).containsExactly("dlv_6", "dlv_4");
        assertThat(deadLetters(store, TENANT, DeliveryStatus.DEAD, "ep_2")).containsExactly("dlv_6", "dlv_4");
        assertThat(deadLetters(store, TENANT, DeliveryStatus.DEAD, "ep_1")).isEmpty();
        assertThat(deadLetters(store, TENANT, DeliveryStatus.FAILED, null)).containsExactly("dlv_5");
        assertThat(deadLetters(store, OTHER, DeliveryStatus.DEAD, null)).containsExactly("dlv_7");
        assertThat(deadLetters(store, OTHER, DeliveryStatus.FAILED, null)).isEmpty();
        Page<Delivery> first = store.listDeliveries(new DeliveryQuery(TENANT, null, null, DeliveryStatus.DEAD, null, 1));
        assertThat(first.items()).extracting(Delivery::id).containsExactly("dlv_6");
        Page<Delivery> second = store.listDeliveries(
                new DeliveryQuery(TENANT, null, null, DeliveryStatus.DEAD, first.nextCursor(), 1));
        assertThat(second.items()).extracting(Delivery::id).containsExactly("dlv_4");
        assertThat(second.nextCursor()).isNull();
    }

    private static List<String> deadLetters(JdbcDeliveryStore store, String tenant, DeliveryStatus status,
                                            String endpoint) {
        return store.listDeliveries(new DeliveryQuery(tenant, endpoint, null, status, null, 10)).items().stream()
                .map(Delivery::id).toList();
    }

    private static long count(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
