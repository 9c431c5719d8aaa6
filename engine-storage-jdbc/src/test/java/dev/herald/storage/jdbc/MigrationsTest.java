package dev.herald.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.herald.engine.model.Delivery;
import dev.herald.engine.model.Event;
import dev.herald.engine.spi.StoreFixtures;
import java.io.File;
import java.net.URISyntaxException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class MigrationsTest {

    @Test
    void everyScriptOnTheClasspathIsListedInOrder() throws URISyntaxException {
        File root = new File(Objects.requireNonNull(
                Migrations.class.getResource("/dev/herald/storage/jdbc/migrations")).toURI());
        TreeSet<String> names = new TreeSet<>();
        for (File dir : Objects.requireNonNull(root.listFiles(File::isDirectory))) {
            for (File f : Objects.requireNonNull(dir.listFiles())) {
                names.add(f.getName());
            }
        }
        assertThat(names).containsExactlyInAnyOrderElementsOf(Migrations.SCRIPTS);
        for (int i = 0; i < Migrations.SCRIPTS.size(); i++) {
            assertThat(Migrations.version(Migrations.SCRIPTS.get(i))).isEqualTo(i + 1);
        }
    }

    @Test
    void scriptsSplitIntoStatementsWithoutComments() {
        List<String> statements = Migrations.statements("-- a comment; with a semicolon\nCREATE TABLE a (x INT);\n"
                + "\n  -- another\nCREATE INDEX b ON a (x);\n");
        assertThat(statements).containsExactly("CREATE TABLE a (x INT)", "CREATE INDEX b ON a (x)");
    }

    @Test
    void runningTwiceOnH2IsHarmless() throws Exception {
        try (HikariDataSource ds = h2Pool("migrate-twice")) {
            assertThat(Migrations.run(ds, Dialect.of(JdbcDialect.H2))).isEqualTo(Migrations.SCRIPTS.size());
            assertThat(Migrations.run(ds, Dialect.of(JdbcDialect.H2))).isZero();
            assertThat(versions(ds)).isEqualTo(Migrations.SCRIPTS.size());
            assertUsable(ds);
        }
    }

    @Test
    void concurrentRunsOnH2ApplyEachScriptOnce() throws Exception {
        try (HikariDataSource ds = h2Pool("migrate-concurrently")) {
            List<Integer> applied = concurrently(4, () -> Migrations.run(ds, Dialect.of(JdbcDialect.H2)));
            assertThat(applied.stream().mapToInt(Integer::intValue).sum()).isEqualTo(Migrations.SCRIPTS.size());
            assertThat(versions(ds)).isEqualTo(Migrations.SCRIPTS.size());
            assertUsable(ds);
        }
    }

    @Test
    void runningTwiceOnPostgresIsHarmless() throws Exception {
        String db = EmbeddedPostgresServer.newDatabase("migrate_twice");
        try (HikariDataSource ds = EmbeddedPostgresServer.pool(db, 2)) {
            assertThat(Migrations.run(ds, Dialect.of(JdbcDialect.POSTGRESQL))).isEqualTo(Migrations.SCRIPTS.size());
            assertThat(Migrations.run(ds, Dialect.of(JdbcDialect.POSTGRESQL))).isZero();
            assertThat(versions(ds)).isEqualTo(Migrations.SCRIPTS.size());
            assertUsable(ds);
        }
    }

    @Test
    void instancesStartingTogetherOnPostgresApplyEachScriptOnce() throws Exception {
        String db = EmbeddedPostgresServer.newDatabase("migrate_concurrently");
        List<HikariDataSource> pools = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                pools.add(EmbeddedPostgresServer.pool(db, 2)); // one pool per instance, as separate hosts would
            }
            List<Integer> applied = concurrently(4,
                    i -> Migrations.run(pools.get(i), Dialect.of(JdbcDialect.POSTGRESQL)));
            assertThat(applied.stream().mapToInt(Integer::intValue).sum()).isEqualTo(Migrations.SCRIPTS.size());
            assertThat(versions(pools.get(0))).isEqualTo(Migrations.SCRIPTS.size());
            assertUsable(pools.get(3));
        } finally {
            pools.forEach(HikariDataSource::close);
        }
    }

    private static HikariDataSource h2Pool(String name) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
        config.setUsername("sa");
        config.setMaximumPoolSize(4);
        return new HikariDataSource(config);
    }

    private static int versions(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM herald_schema_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** The migrated schema takes a publish and answers a read. */
    private static void assertUsable(DataSource ds) {
        StoreFixtures fx = new StoreFixtures();
        JdbcDeliveryStore store = JdbcDeliveryStore.builder().dataSource(ds).build();
        Event event = fx.event("t");
        Delivery d = fx.delivery(event, "ep_1", StoreFixtures.T0);
        store.publish(event, List.of(d));
        assertThat(store.findDelivery("t", d.id())).contains(d);
        store.close();
    }

    @FunctionalInterface
    private interface IndexedCall<T> {
        T call(int index) throws Exception;
    }

    private static <T> List<T> concurrently(int threads, Callable<T> work) throws Exception {
        return concurrently(threads, i -> work.call());
    }

    private static <T> List<T> concurrently(int threads, IndexedCall<T> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    go.await();
                    return work.call(index);
                }));
            }
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
