package dev.herald.demo.fuzz;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Counts what the engine's store holds for a tenant, straight from its tables, to show that a refused
 * request left nothing behind. Opens its own connection to the drill's in-memory H2 store. Not thread-safe.
 */
final class StoreCensus implements AutoCloseable {
    /**
     * What a tenant has. {@code endpointsChangedAt} is the newest {@code updated_at} of its endpoints, so a
     * refused update that wrote anything shows even when the counts stay the same.
     */
    record Count(long endpoints, long endpointsChangedAt, long events, long deliveries, long uploads) {
    }

    private static final String COUNT = """
            SELECT (SELECT COUNT(*) FROM herald_endpoints WHERE tenant = ?),
                   (SELECT COALESCE(MAX(updated_at), 0) FROM herald_endpoints WHERE tenant = ?),
                   (SELECT COUNT(*) FROM herald_events WHERE tenant = ?),
                   (SELECT COUNT(*) FROM herald_deliveries WHERE tenant = ?),
                   (SELECT COUNT(*) FROM herald_uploads WHERE tenant = ?)""";
    private static final String ORPHANS = """
            SELECT (SELECT COUNT(*) FROM herald_deliveries d WHERE NOT EXISTS
                        (SELECT 1 FROM herald_events e WHERE e.id = d.event_id AND e.tenant = d.tenant)),
                   (SELECT COUNT(*) FROM herald_attempts a WHERE NOT EXISTS
                        (SELECT 1 FROM herald_deliveries d WHERE d.id = a.delivery_id))""";

    private final Connection connection;
    private final PreparedStatement count;

    StoreCensus(String jdbcUrl) {
        try {
            connection = DriverManager.getConnection(jdbcUrl);
            count = connection.prepareStatement(COUNT);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the drill's store", e);
        }
    }

    Count of(String tenant) {
        try {
            for (int i = 1; i <= 5; i++) {
                count.setString(i, tenant);
            }
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return new Count(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("census failed", e);
        }
    }

    /**
     * Records whose parent is missing, whatever the tenant: deliveries without their event, attempts without
     * their delivery. "deliveries=0, attempts=0" when whole. (Uploads may outlive a deleted endpoint.)
     */
    String orphans() {
        try (PreparedStatement statement = connection.prepareStatement(ORPHANS); ResultSet rs = statement.executeQuery()) {
            rs.next();
            return "deliveries=" + rs.getLong(1) + ", attempts=" + rs.getLong(2);
        } catch (SQLException e) {
            throw new IllegalStateException("census failed", e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // Nothing held but the connection.
        }
    }
}
