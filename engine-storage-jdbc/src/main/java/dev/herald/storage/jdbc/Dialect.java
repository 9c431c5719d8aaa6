package dev.herald.storage.jdbc;

import dev.herald.engine.spi.DeliveryTask;
import dev.herald.engine.spi.Lease;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What differs between the databases: how deliveries are claimed and how concurrent migrations are kept
 * apart. Everything else (schema, every other statement, {@code LIMIT}, {@code = ANY(?)} with an array
 * parameter, SQLState 23505 for a duplicate key) is the same SQL on both and lives in
 * {@link JdbcDeliveryStore}.
 *
 * <p>Claims read and write {@code herald_delivery_state} only, whose one index is the claim index; the
 * listing indexes sit on {@code herald_deliveries} and {@code herald_dead_letters}, which claims never
 * change.
 * A delivery is claimable when {@link #CLAIMABLE}: {@code claimable_at} holds {@code next_attempt_at}
 * while SCHEDULED or IN_FLIGHT and null once final, so one index serves "due" and "lease ran out" in due
 * order. A claim sets status and lease but leaves {@code claimable_at} alone: it changes no indexed
 * column, so H2 rewrites only the row and PostgreSQL can update in place (HOT). Scans step over the
 * live leases at the head of the index, which the engine's in-flight cap keeps few.
 *
 * <p>Range scans over a nullable indexed column name a lower bound ({@link #FROM_START}): H2 sorts
 * NULLs first and would otherwise start the scan at the first NULL and walk past every final delivery.
 */
abstract class Dialect {
    static final String SET_IN_FLIGHT = "status = 'IN_FLIGHT', lease_owner = ?, lease_until = ?, updated_at = ?";

    /** Claimable at the instant bound twice after it: due, and not under a live lease. */
    static final String CLAIMABLE = "claimable_at <= ? AND (status = 'SCHEDULED' OR lease_until < ?)";

    /** The lowest value a range scan starts at, past the NULLs. */
    static final String FROM_START = String.valueOf(Long.MIN_VALUE);

    static Dialect of(JdbcDialect name) {
        return switch (name) {
            case H2 -> new H2Dialect();
            case POSTGRESQL -> new PostgresDialect();
        };
    }

    abstract JdbcDialect name();

    /** Claims those of {@code ids} that are claimable at {@code now}, longest due first. */
    abstract List<DeliveryTask> claim(Jdbc jdbc, Collection<String> ids, Lease lease, long now) throws SQLException;

    /** Claims up to {@code limit} claimable deliveries, longest due first. */
    abstract List<DeliveryTask> claimDue(Jdbc jdbc, Lease lease, long now, int limit) throws SQLException;

    /**
     * Keeps other instances out of the migration for the rest of {@code c}'s transaction, or throws
     * when the database cannot. Called first thing in the migration transaction.
     */
    abstract void lockSchema(Connection c, String url) throws SQLException;

    /** Undoes {@link #lockSchema} when the lock outlives the transaction. */
    abstract void unlockSchema(String url);

    // ---- shared by both claim strategies ----

    static Array varchars(Connection c, Collection<String> values) throws SQLException {
        return c.createArrayOf("VARCHAR", values.toArray());
    }

    /**
     * The state rows' numbers of those of {@code ids} that exist, in number order: the order in which
     * every multi-row write of the store changes state rows (lock order).
     */
    static java.util.SortedMap<Long, String> seqs(Connection c, Collection<String> ids) throws SQLException {
        java.util.SortedMap<Long, String> out = new java.util.TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, id FROM herald_deliveries WHERE id = ANY(?)")) {
            ps.setArray(1, varchars(c, ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getLong(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    private static final String TASKS = "SELECT " + Rows.DELIVERY_COLUMNS + ", " + Rows.qualified("e", Rows.EVENT_COLUMNS)
            + " FROM " + Rows.DELIVERY_TABLES + " JOIN herald_events e ON e.id = d.event_id WHERE d.id = ANY(?)";

    /**
     * Reads the claimed deliveries with their events, ordered by the due time they had before the claim
     * (then id). Run inside the claiming transaction, after the claim, so it sees the rows as claimed.
     */
    static List<DeliveryTask> tasks(Connection c, Map<String, Long> dueById) throws SQLException {
        List<DeliveryTask> tasks = new ArrayList<>(dueById.size());
        if (dueById.isEmpty()) {
            return tasks;
        }
        try (PreparedStatement ps = c.prepareStatement(TASKS)) {
            ps.setArray(1, varchars(c, dueById.keySet()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tasks.add(new DeliveryTask(Rows.delivery(rs, 1), Rows.event(rs, Rows.DELIVERY_COLUMN_COUNT + 1)));
                }
            }
        }
        tasks.sort(Comparator.comparingLong((DeliveryTask t) -> dueById.get(t.delivery().id()))
                .thenComparing(t -> t.delivery().id()));
        return tasks;
    }

    static Map<String, Long> newDueMap(int expected) {
        return new HashMap<>(Math.max(16, expected * 2));
    }
}
