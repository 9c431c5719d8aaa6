package dev.herald.storage.jdbc;

import dev.herald.engine.spi.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import javax.sql.DataSource;

/**
 * Connections, transactions and error translation. Reads run on a connection as the pool hands it out
 * (auto-commit); writes run in one transaction that is rolled back on any failure, so a call either
 * stores everything it was given or nothing. Thread-safe.
 */
final class Jdbc {
    private final DataSource dataSource;

    Jdbc(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    DataSource dataSource() {
        return dataSource;
    }

    /** Work on one connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Binds one item's values to a statement. */
    @FunctionalInterface
    interface Binder<T> {
        void bind(PreparedStatement statement, T item) throws SQLException;
    }

    /**
     * Runs {@code sql} once per item as one JDBC batch on {@code c}, binding each with {@code binder}, and
     * returns the update counts; does nothing when there are no items.
     */
    static <T> int[] batch(Connection c, String sql, Collection<? extends T> items, Binder<T> binder)
            throws SQLException {
        if (items.isEmpty()) {
            return new int[0];
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (T item : items) {
                binder.bind(ps, item);
                ps.addBatch();
            }
            return ps.executeBatch();
        }
    }

    /** Runs {@code work} on a connection in auto-commit mode. */
    <T> T read(Work<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        }
    }

    /**
     * Runs one self-contained write statement: as is on an auto-commit connection (the statement is its
     * own transaction, and two round trips are saved), or followed by a commit when the pool hands out
     * connections with auto-commit off, which would otherwise roll the write back on return.
     */
    <T> T statement(Work<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            if (c.getAutoCommit()) {
                return work.run(c);
            }
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                try {
                    c.rollback();
                } catch (SQLException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
                throw e;
            }
        }
    }

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws.
     * Work that decides to store nothing calls {@code rollback()} itself and returns.
     */
    <T> T transaction(Work<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            if (autoCommit) {
                c.setAutoCommit(false);
            }
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                try {
                    c.rollback();
                } catch (SQLException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
                throw e;
            } finally {
                if (autoCommit) {
                    restoreAutoCommit(c);
                }
            }
        }
    }

    private static void restoreAutoCommit(Connection c) {
        try {
            c.setAutoCommit(true);
        } catch (SQLException ignored) {
            // A broken connection: the pool discards it; nothing was left uncommitted.
        }
    }

    /** Whether {@code e} is a unique or primary-key violation (the same SQLState on H2 and PostgreSQL). */
    static boolean isUniqueViolation(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            if ("23505".equals(x.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * A {@link StoreException} for a failed operation. The message names the operation and the kind of
     * failure, never a value. Data exceptions (SQLState class 22) are not chained, because some drivers
     * quote the refused value in their message and it may be a payload or a secret.
     */
    static StoreException failure(String operation, SQLException e) {
        String state = e.getSQLState();
        String message = operation + " failed: " + kind(state) + " (SQLState " + state + ", error code "
                + e.getErrorCode() + ")";
        return state != null && state.startsWith("22") ? new StoreException(message) : new StoreException(message, e);
    }

    /** A {@link StoreException} for a value the store cannot hold. */
    static StoreException failure(String operation, ArithmeticException e) {
        return new StoreException(operation + " failed: an instant is out of the range this store keeps");
    }

    private static String kind(String state) {
        if (state == null || state.length() < 2) {
            return "database error or no connection available";
        }
        return switch (state.substring(0, 2)) {
            case "08" -> "database unreachable or connection lost";
            case "22" -> "a value was refused by the database";
            case "23" -> "a record with the same id or key is already stored";
            case "40" -> "transaction conflict or deadlock, nothing stored";
            case "53" -> "database out of resources (disk full, memory, connections)";
            case "57" -> "database shutting down or statement cancelled";
            case "90" -> "database error (H2)";
            case "HY" -> "statement timed out or connection closed";
            default -> "database error";
        };
    }

    /** Microseconds since the epoch: how every instant is stored. */
    static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
    }

    /** The instant of a microsecond count stored by {@link #micros(Instant)}. */
    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }
}
