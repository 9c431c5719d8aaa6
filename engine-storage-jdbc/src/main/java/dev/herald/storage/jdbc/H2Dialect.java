package dev.herald.storage.jdbc;

import dev.herald.engine.spi.DeliveryTask;
import dev.herald.engine.spi.Lease;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * H2: claims read a batch of candidates without locks, in index order, and take each with an UPDATE
 * that repeats the claimable condition. H2 locks only rows it changes and re-checks the condition of a
 * row another transaction changed meanwhile, so two claimers racing for one row cannot both win; the
 * loser's update counts 0 and the row is left out of its answer. {@code SELECT … FOR UPDATE} is avoided
 * because with {@code LIMIT} H2 locks every row it reads, not only those it returns.
 *
 * <p>Updates go in the order of the state rows' numbers, as every multi-row write of the store does, so two
 * transactions never wait on each other in a cycle.
 *
 * <p>{@link #claimDue} calls of one store take turns: concurrent callers would read the same candidates
 * at the head of the index, and all but one would wait for the first to commit and then claim nothing.
 * H2 is embedded, so the store's callers are all there is to coordinate; another store instance on the
 * same database stays correct through the conditional update, only less efficient.
 */
final class H2Dialect extends Dialect {
    private static final String CANDIDATES_BY_ID =
            "SELECT s.seq, s.id, s.claimable_at FROM " + Rows.DELIVERY_TABLES + " WHERE d.id = ANY(?) AND " + CLAIMABLE;
    private static final String CANDIDATES_DUE =
            "SELECT seq, id, claimable_at FROM herald_delivery_state WHERE claimable_at >= " + FROM_START
                    + " AND " + CLAIMABLE + " ORDER BY claimable_at LIMIT ?";
    private static final String CLAIM_ONE =
            "UPDATE herald_delivery_state SET " + SET_IN_FLIGHT + " WHERE seq = ? AND " + CLAIMABLE;

    /** A delivery that looked claimable, by its state row's number. */
    private record Candidate(long seq, String id, long due) {
    }

    /**
     * H2 runs DDL outside transactions, so the schema lock is a lock in this JVM, one per database URL.
     * An H2 database file is opened by one process at a time, so the JVM is the whole world that can race.
     */
    private static final Map<String, ReentrantLock> SCHEMA_LOCKS = new ConcurrentHashMap<>();

    @Override
    JdbcDialect name() {
        return JdbcDialect.H2;
    }

    @Override
    List<DeliveryTask> claim(Jdbc jdbc, Collection<String> ids, Lease lease, long now) throws SQLException {
        return jdbc.transaction(c -> {
            List<Candidate> candidates = new ArrayList<>(ids.size());
            try (PreparedStatement ps = c.prepareStatement(CANDIDATES_BY_ID)) {
                ps.setArray(1, varchars(c, ids));
                ps.setLong(2, now);
                ps.setLong(3, now);
                readCandidates(ps, candidates);
            }
            return take(c, candidates, lease, now);
        });
    }

    private final ReentrantLock claimDueTurn = new ReentrantLock();

    @Override
    List<DeliveryTask> claimDue(Jdbc jdbc, Lease lease, long now, int limit) throws SQLException {
        claimDueTurn.lock();
        try {
            return claimDueNow(jdbc, lease, now, limit);
        } finally {
            claimDueTurn.unlock();
        }
    }

    private static List<DeliveryTask> claimDueNow(Jdbc jdbc, Lease lease, long now, int limit) throws SQLException {
        return jdbc.transaction(c -> {
            List<Candidate> candidates = new ArrayList<>(limit);
            try (PreparedStatement ps = c.prepareStatement(CANDIDATES_DUE)) {
                ps.setLong(1, now);
                ps.setLong(2, now);
                ps.setInt(3, limit);
                readCandidates(ps, candidates);
            }
            return take(c, candidates, lease, now);
        });
    }

    private static void readCandidates(PreparedStatement ps, List<Candidate> into) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                into.add(new Candidate(rs.getLong(1), rs.getString(2), rs.getLong(3)));
            }
        }
    }

    private static List<DeliveryTask> take(Connection c, List<Candidate> candidates, Lease lease, long now)
            throws SQLException {
        if (candidates.isEmpty()) {
            return List.of();
        }
        candidates.sort(Comparator.comparingLong(Candidate::seq)); // lock order
        long until = Jdbc.micros(lease.until());
        int[] counts = Jdbc.batch(c, CLAIM_ONE, candidates, (ps, candidate) -> {
            ps.setString(1, lease.owner());
            ps.setLong(2, until);
            ps.setLong(3, now);
            ps.setLong(4, candidate.seq());
            ps.setLong(5, now);
            ps.setLong(6, now);
        });
        Map<String, Long> claimed = newDueMap(candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            if (counts[i] > 0) {
                claimed.put(candidates.get(i).id(), candidates.get(i).due());
            }
        }
        return tasks(c, claimed);
    }

    @Override
    void lockSchema(Connection c, String url) {
        SCHEMA_LOCKS.computeIfAbsent(url, u -> new ReentrantLock()).lock();
    }

    @Override
    void unlockSchema(String url) {
        ReentrantLock lock = SCHEMA_LOCKS.get(url);
        if (lock != null && lock.isHeldByCurrentThread()) {
            lock.unlock();
        }
    }
}
