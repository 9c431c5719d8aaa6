package dev.herald.demo.engine;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.herald.demo.config.HeraldProperties;
import dev.herald.demo.config.StoreKind;
import dev.herald.engine.spi.DeliveryStore;
import dev.herald.storage.jdbc.JdbcDeliveryStore;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code herald.store.kind: jdbc} (the default): the engine's JDBC store, which runs its own migrations and
 * transactions.
 * <ul>
 *   <li>No {@code herald.store.jdbc.url}: an H2 file {@code herald.mv.db} in {@code herald.data-dir}, with its
 *   own small pool. It is a different file from the demo's API-key database ({@code herald-demo.mv.db}) on
 *   purpose: the store owns that pool, its durability setting and its schema, and it is closed right after
 *   the engine has put in-flight deliveries back, whatever the application does with its own data source;
 *   moving the engine to PostgreSQL is then one URL, with the key table left where it is.</li>
 *   <li>With a URL ({@code jdbc:postgresql://host:5432/herald}, plus {@code username} and {@code password}): a
 *   HikariCP pool on it. PostgreSQL is what several instances share.</li>
 * </ul>
 */
@Factory
@Requires(property = "herald.store.kind", value = StoreKind.JDBC, defaultValue = StoreKind.JDBC)
public class JdbcStoreFactory {
    private static final Logger log = LoggerFactory.getLogger(JdbcStoreFactory.class);

    /**
     * The store, its schema brought up to date; closed (with its pool) when the application stops.
     *
     * @throws ConfigurationException when the database cannot be opened or migrated; the message names the
     *                                setting and never repeats the URL or the password
     */
    @Singleton
    @Bean(preDestroy = "close")
    public DeliveryStore deliveryStore(HeraldProperties properties) {
        HeraldProperties.Store.Jdbc jdbc = properties.getStore().getJdbc();
        if (jdbc.getUrl() == null || jdbc.getUrl().isBlank()) {
            Path dir = Path.of(properties.getDataDir()).toAbsolutePath().normalize();
            try {
                JdbcDeliveryStore store = JdbcDeliveryStore.h2File(dir);
                log.info("Herald store: H2 file {} (set herald.store.jdbc.url for PostgreSQL)", dir.resolve("herald.mv.db"));
                return store;
            } catch (RuntimeException e) {
                throw new ConfigurationException("herald.data-dir: could not open the H2 store in " + dir + ": "
                        + describe(e, null, null), e);
            }
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbc.getUrl().trim());
        if (jdbc.getUsername() != null && !jdbc.getUsername().isBlank()) {
            config.setUsername(jdbc.getUsername());
        }
        if (jdbc.getPassword() != null && !jdbc.getPassword().isEmpty()) {
            config.setPassword(jdbc.getPassword());
        }
        config.setMaximumPoolSize(jdbc.getMaximumPoolSize());
        config.setPoolName("herald-store");
        // Batched inserts (publish fan-out, group commit) become multi-row statements on PostgreSQL.
        if (jdbc.getUrl().trim().startsWith("jdbc:postgresql:")) {
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
        HikariDataSource pool = null;
        try {
            pool = new HikariDataSource(config);
            JdbcDeliveryStore store = JdbcDeliveryStore.builder().dataSource(pool).closeDataSource(true).build();
            log.info("Herald store: {} through a pool of {} connections", store.dialect(), jdbc.getMaximumPoolSize());
            return store;
        } catch (RuntimeException e) {
            if (pool != null) {
                pool.close();
            }
            throw new ConfigurationException("herald.store.jdbc.url: could not open the database: "
                    + describe(e, jdbc.getUrl(), jdbc.getPassword()), e);
        }
    }

    /** The deepest cause's type and message, with the URL and password blanked (drivers may echo the URL). */
    static String describe(Throwable e, String url, String password) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = String.valueOf(root.getMessage());
        if (url != null && !url.isBlank()) {
            message = message.replace(url.trim(), "(url)");
        }
        if (password != null && !password.isEmpty()) {
            message = message.replace(password, "(hidden)");
        }
        return root.getClass().getSimpleName() + ": " + message;
    }
}
