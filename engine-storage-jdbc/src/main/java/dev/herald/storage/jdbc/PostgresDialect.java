package dev.herald.storage.jdbc;

import dev.herald.engine.spi.DeliveryTask;
import dev.herald.engine.spi.Lease;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * PostgreSQL: a claim is one statement. It picks claimable rows in due order with
 * {@code FOR UPDATE SKIP LOCKED}, so instances claiming at once each get different rows without waiting
 * on one another, sets them IN_FLIGHT and returns them joined with their events. One statement is its
 * own transaction, so it needs no explicit one (see {@link Jdbc#statement}).
 *
 * <p>Migrations take a transaction-scoped advisory lock, released at commit or rollback, so instances
 * starting together apply each script once while the others wait.
 */
final class PostgresDialect extends Dialect {
    /** Any fixed number; the same in every Herald instance. */
    private static final long SCHEMA_LOCK_KEY = 0x4845_5241_4C44_0001L;

    private static final String CLAIMED = ", claimed AS (UPDATE herald_delivery_state s SET " + SET_IN_FLIGHT
            + " FROM picked WHERE s.seq = picked.seq RETURNING s.seq, s.id, s.status, s.attempts, s.next_attempt_at, "
            + "s.last_error, s.updated_at, picked.due) SELECT " + Rows.DELIVERY_COLUMNS + ", "
            + Rows.qualified("e", Rows.EVENT_COLUMNS) + ", s.due"
            + " FROM claimed s JOIN herald_deliveries d ON d.id = s.id JOIN herald_events e ON e.id = d.event_id"
            + " ORDER BY s.due, s.id";
    private static final String CLAIM_BY_ID = "WITH picked AS (SELECT s.seq, s.claimable_at AS due FROM "
            + Rows.DELIVERY_TABLES + " WHERE d.id = ANY(?) AND " + CLAIMABLE + " FOR UPDATE OF s SKIP LOCKED)" + CLAIMED;
    private static final String CLAIM_DUE = "WITH picked AS (SELECT seq, claimable_at AS due FROM herald_delivery_state"
            + " WHERE claimable_at >= " + FROM_START + " AND " + CLAIMABLE + " ORDER BY claimable_at LIMIT ?"
            + " FOR UPDATE SKIP LOCKED)" + CLAIMED;

    @Override
    JdbcDialect name() {
        return JdbcDialect.POSTGRESQL;
    }

    @Override
    List<DeliveryTask> claim(Jdbc jdbc, Collection<String> ids, Lease lease, long now) throws SQLException {
        return jdbc.statement(c -> {
            try (PreparedStatement ps = c.prepareStatement(CLAIM_BY_ID)) {
                ps.setArray(1, varchars(c, ids));
                ps.setLong(2, now);
                ps.setLong(3, now);
                bindLease(ps, 4, lease, now);
                return read(ps, ids.size());
            }
        });
    }

    @Override
    List<DeliveryTask> claimDue(Jdbc jdbc, Lease lease, long now, int limit) throws SQLException {
        return jdbc.statement(c -> {
            try (PreparedStatement ps = c.prepareStatement(CLAIM_DUE)) {
                ps.setLong(1, now);
                ps.setLong(2, now);
                ps.setInt(3, limit);
                bindLease(ps, 4, lease, now);
                return read(ps, limit);
            }
        });
    }

    private static void bindLease(PreparedStatement ps, int first, Lease lease, long now) throws SQLException {
        ps.setString(first, lease.owner());
        ps.setLong(first + 1, Jdbc.micros(lease.until()));
        ps.setLong(first + 2, now);
    }

    private static List<DeliveryTask> read(PreparedStatement ps, int expected) throws SQLException {
        List<DeliveryTask> tasks = new ArrayList<>(Math.min(expected, 1024));
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                tasks.add(new DeliveryTask(Rows.delivery(rs, 1), Rows.event(rs, Rows.DELIVERY_COLUMN_COUNT + 1)));
            }
        }
        return tasks;
    }

    @Override
    void lockSchema(Connection c, String url) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            ps.setLong(1, SCHEMA_LOCK_KEY);
            ps.execute();
        }
    }

    @Override
    void unlockSchema(String url) {
        // The advisory lock is transaction-scoped: commit or rollback released it.
    }
}
