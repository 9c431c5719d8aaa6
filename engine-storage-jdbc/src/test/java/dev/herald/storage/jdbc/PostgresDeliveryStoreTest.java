package dev.herald.storage.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.herald.engine.spi.DeliveryStore;
import dev.herald.engine.spi.DeliveryStoreContract;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract on a real PostgreSQL; one database for the class, emptied before each test. */
class PostgresDeliveryStoreTest extends DeliveryStoreContract {
    private static HikariDataSource pool;

    @BeforeAll
    static void openDatabase() {
        pool = EmbeddedPostgresServer.pool(EmbeddedPostgresServer.newDatabase("contract"), 8);
    }

    @AfterAll
    static void closeDatabase() {
        pool.close();
    }

    @Override
    protected DeliveryStore newStore() {
        JdbcDeliveryStore store = JdbcDeliveryStore.builder().dataSource(pool).build();
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            st.execute("TRUNCATE herald_endpoints, herald_events, herald_deliveries, herald_delivery_state, herald_dead_letters, herald_attempts, herald_uploads");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return store;
    }
}
