package dev.herald.storage.jdbc.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.herald.engine.model.Attempt;
import dev.herald.engine.model.DeliveryStatus;
import dev.herald.engine.model.Ids;
import dev.herald.engine.spi.DeliveryStore;
import dev.herald.engine.spi.DeliveryTask;
import dev.herald.engine.spi.Lease;
import dev.herald.engine.spi.Outcome;
import dev.herald.storage.jdbc.JdbcDeliveryStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * Store throughput, measured on the machine it runs on. Not a test: run it with
 * {@code mvn -B -q -pl engine-storage-jdbc -am -Pbench process-test-classes}.
 *
 * <p>For H2 file mode (the embedded default) and, unless {@code -Dbench.postgres=false}, an embedded
 * PostgreSQL, it measures:
 * <ul>
 *   <li><b>publish</b>: events with {@code bench.fanout} deliveries each, one {@code publish} call per
 *   event, from {@code bench.threads} threads (calls that overlap may share a transaction); deliveries per
 *   second;</li>
 *   <li><b>claim + complete</b>: workers call {@code claimDue} for batches of 256 and {@code record} a
 *   SUCCEEDED outcome with its attempt for each, until every delivery is done; deliveries per second.</li>
 * </ul>
 * Each is set beside a baseline on the same database: plain JDBC batch inserts of the same rows into a
 * bare table (primary key only), the same number of rows per transaction; and plain batch updates of
 * 256 rows per transaction by primary key. The ratio says what the store's indexes, leases and
 * bookkeeping cost over the least a database can do.
 */
public final class StoreBenchmark {
    private static final int THREADS = Integer.getInteger("bench.threads", 2);
    private static final int FANOUT = Integer.getInteger("bench.fanout", 10);
    private static final int DELIVERIES = Integer.getInteger("bench.deliveries", 100_000);
    private static final int PG_DELIVERIES = Integer.getInteger("bench.pgDeliveries", 50_000);
    private static final int STRICT_DELIVERIES = Integer.getInteger("bench.strictDeliveries", 30_000);
    private static final int BATCH = 256;
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final String DATA = "{\"upload\":{\"id\":\"wh_01J8ZQ3Y5N6P7Q8R9S0T1V2W3X\",\"bucket\":\"media\","
            + "\"key\":\"users/42/avatar.png\",\"size\":734003,\"contentType\":\"image/png\","
            + "\"etag\":\"\\\"9b2cf535f27731c974343645a3985328\\\"\"},\"metadata\":{\"userId\":\"u-42\"}}";

    private final Ids ids = new Ids(Clock.systemUTC(), new Random(7));

    private StoreBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.out.printf(Locale.ROOT, "JDK %s (%s), %d cores, load average %.1f, %d threads, fan-out %d, claim batch %d%n",
                System.getProperty("java.version"), System.getProperty("java.vm.name"),
                Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                THREADS, FANOUT, BATCH);
        long started = System.nanoTime();
        StoreBenchmark bench = new StoreBenchmark();
        Path dir = Files.createTempDirectory("herald-bench");
        try {
            bench.h2(dir);
        } finally {
            deleteTree(dir);
        }
        if (Boolean.parseBoolean(System.getProperty("bench.postgres", "true"))) {
            bench.postgres();
        }
        System.out.printf(Locale.ROOT, "(%.0f s in all; load average now %.1f)%n", (System.nanoTime() - started) / 1e9,
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private void h2(Path dir) throws Exception {
        String baselineUrl = "jdbc:h2:file:" + dir.resolve("baseline") + ";WRITE_DELAY="
                + JdbcDeliveryStore.DEFAULT_H2_WRITE_DELAY_MILLIS;
        try (HikariDataSource baseline = pool(baselineUrl, "sa", 8);
             JdbcDeliveryStore warm = JdbcDeliveryStore.h2File(dir.resolve("warmup"), Duration.ofMillis(100))) {
            // Warm-up: the same code paths on a throwaway database, so the JIT has compiled them.
            runStore(warm, 20_000);
            runBaseline(baseline, 20_000);
        }
        try (HikariDataSource baseline = pool(baselineUrl.replace("baseline", "baseline2"), "sa", 8);
             JdbcDeliveryStore store = JdbcDeliveryStore.h2File(dir.resolve("store"), Duration.ofMillis(100))) {
            report("H2 file, write delay 100 ms",
                    runStore(store, DELIVERIES), runBaseline(baseline, DELIVERIES));
        }
        try (JdbcDeliveryStore strict = JdbcDeliveryStore.h2File(dir.resolve("strict"), Duration.ZERO)) {
            Rates rates = runStore(strict, STRICT_DELIVERIES);
            System.out.printf(Locale.ROOT, "H2 file, written at every commit (the default)%n"
                    + "  publish          store %,8.0f deliveries/s (%,8.0f per CPU-s)%n"
                    + "  claim + complete store %,8.0f deliveries/s (%,8.0f per CPU-s)%n", rates.publish,
                    rates.publishPerCpu, rates.complete, rates.completePerCpu);
        }
    }

    private void postgres() throws Exception {
        long started = System.nanoTime();
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            System.out.printf(Locale.ROOT, "(embedded PostgreSQL started in %.1f s)%n", (System.nanoTime() - started) / 1e9);
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE bench");
                st.execute("CREATE DATABASE warm");
            }
            try (HikariDataSource warmPool = pgPool(pg, "warm");
                 JdbcDeliveryStore warm = JdbcDeliveryStore.builder().dataSource(warmPool).build()) {
                runStore(warm, 10_000, s -> analyze(warmPool));
                runBaseline(warmPool, 10_000);
            }
            try (HikariDataSource pool = pgPool(pg, "bench");
                 JdbcDeliveryStore store = JdbcDeliveryStore.builder().dataSource(pool).build()) {
                // The table went from empty to full in seconds; ANALYZE gives the planner the statistics
                // autovacuum would have gathered by the time a real table holds that many rows.
                Rates rates = runStore(store, PG_DELIVERIES, s -> analyze(pool));
                report("PostgreSQL (embedded, statistics refreshed after loading)", rates, runBaseline(pool, PG_DELIVERIES));
            }
        }
    }

    private static void analyze(DataSource ds) {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("ANALYZE");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HikariDataSource pgPool(EmbeddedPostgres pg, String database) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(pg.getJdbcUrl("postgres", database));
        config.setMaximumPoolSize(8);
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        return new HikariDataSource(config);
    }

    private static HikariDataSource pool(String url, String user, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword("");
        config.setMaximumPoolSize(size);
        return new HikariDataSource(config);
    }

    /** Per second of wall-clock time, and per CPU-second of this process. */
    private record Rates(double publish, double complete, double publishPerCpu, double completePerCpu) {
        static Rates of(double published, Timing publish, double completed, Timing complete) {
            return new Rates(published / publish.wall(), completed / complete.wall(), published / publish.cpu(),
                    completed / complete.cpu());
        }
    }

    private static void report(String database, Rates store, Rates baseline) {
        System.out.printf(Locale.ROOT, "%s%n", database);
        System.out.printf(Locale.ROOT, "  publish          store %,8.0f deliveries/s (%,8.0f per CPU-s)   baseline %,8.0f rows/s "
                        + "(%,8.0f per CPU-s)   ratio %.2f%n", store.publish, store.publishPerCpu, baseline.publish,
                baseline.publishPerCpu, store.publish / baseline.publish);
        System.out.printf(Locale.ROOT, "  claim + complete store %,8.0f deliveries/s (%,8.0f per CPU-s)   baseline %,8.0f rows/s "
                        + "(%,8.0f per CPU-s)   ratio %.2f%n", store.complete, store.completePerCpu, baseline.complete,
                baseline.completePerCpu, store.complete / baseline.complete);
    }

    // ---- the store ----

    private Rates runStore(DeliveryStore store, int deliveries) throws Exception {
        return runStore(store, deliveries, s -> { });
    }

    /** {@code afterLoad} runs between publishing and claiming, outside the timings. */
    private Rates runStore(DeliveryStore store, int deliveries, java.util.function.Consumer<DeliveryStore> afterLoad)
            throws Exception {
        int events = deliveries / FANOUT;
        BenchPublishes publishes = BenchPublishes.of(ids, events, FANOUT, NOW, i -> DATA);
        AtomicLong next = new AtomicLong();
        Timing publishTime = timed(() -> {
            for (long i; (i = next.getAndIncrement()) < events; ) {
                publishes.publish(store, (int) i);
            }
            return null;
        });
        afterLoad.accept(store);

        AtomicLong done = new AtomicLong();
        Instant claimAt = NOW.plusSeconds(1);
        Timing completeTime = timed(() -> {
            String owner = "worker-" + Thread.currentThread().getId();
            Lease lease = new Lease(owner, claimAt.plusSeconds(300));
            while (true) {
                List<DeliveryTask> tasks = store.claimDue(lease, claimAt, BATCH);
                if (tasks.isEmpty()) {
                    return null;
                }
                List<Outcome> outcomes = new ArrayList<>(tasks.size());
                for (DeliveryTask t : tasks) {
                    String id = t.delivery().id();
                    Attempt attempt = new Attempt(ids.next(Ids.ATTEMPT), id, 1, claimAt, Duration.ofMillis(12), 200,
                            "ok", null, null);
                    outcomes.add(new Outcome(id, owner, attempt, DeliveryStatus.SUCCEEDED, 1, claimAt, null, claimAt));
                }
                done.addAndGet(store.record(outcomes).size());
            }
        });
        if (done.get() != (long) events * FANOUT) {
            throw new IllegalStateException("completed " + done.get() + " of " + (long) events * FANOUT);
        }
        return Rates.of(events * (double) FANOUT, publishTime, done.get(), completeTime);
    }

    // ---- the baseline: plain JDBC on a bare table ----

    private Rates runBaseline(DataSource ds, int rows) throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS bare");
            st.execute("CREATE TABLE bare (id VARCHAR(64) PRIMARY KEY, tenant VARCHAR(128), event_id VARCHAR(64), "
                    + "event_type VARCHAR(256), endpoint_id VARCHAR(64), status VARCHAR(16), attempts INTEGER, "
                    + "next_attempt_at BIGINT, created_at BIGINT, updated_at BIGINT)");
        }
        int groups = rows / FANOUT;
        List<String> keys = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            keys.add(ids.next(Ids.DELIVERY));
        }
        AtomicLong next = new AtomicLong();
        Timing insertTime = timed(() -> {
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO bare VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    for (long g; (g = next.getAndIncrement()) < groups; ) {
                        for (int f = 0; f < FANOUT; f++) {
                            ps.setString(1, keys.get((int) g * FANOUT + f));
                            ps.setString(2, "tenant-" + (g % 4));
                            ps.setString(3, "evt_" + g);
                            ps.setString(4, "upload.completed");
                            ps.setString(5, "ep_" + f);
                            ps.setString(6, "SCHEDULED");
                            ps.setInt(7, 0);
                            ps.setLong(8, 1L);
                            ps.setLong(9, 1L);
                            ps.setLong(10, 1L);
                            ps.addBatch();
                        }
                        ps.executeBatch();
                        c.commit();
                    }
                }
                c.setAutoCommit(true);
            }
            return null;
        });
        List<String> sorted = new ArrayList<>(keys);
        sorted.sort(Comparator.naturalOrder());
        int batches = (rows + BATCH - 1) / BATCH;
        AtomicLong nextBatch = new AtomicLong();
        Timing updateTime = timed(() -> {
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE bare SET status = 'SUCCEEDED', attempts = 1, updated_at = ? WHERE id = ?")) {
                    for (long b; (b = nextBatch.getAndIncrement()) < batches; ) {
                        int from = (int) b * BATCH;
                        for (String id : sorted.subList(from, Math.min(rows, from + BATCH))) {
                            ps.setLong(1, 2L);
                            ps.setString(2, id);
                            ps.addBatch();
                        }
                        ps.executeBatch();
                        c.commit();
                    }
                }
                c.setAutoCommit(true);
            }
            return null;
        });
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM bare WHERE status = 'SUCCEEDED'")) {
            rs.next();
            if (rs.getLong(1) != rows) {
                throw new IllegalStateException("baseline updated " + rs.getLong(1) + " of " + rows);
            }
        }
        return Rates.of(groups * (double) FANOUT, insertTime, rows, updateTime);
    }

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    /** Wall-clock and CPU seconds (all threads of this process, database included when embedded). */
    private record Timing(double wall, double cpu) {
    }

    /** Runs {@code work} on every thread at once; returns the time until all finished. */
    private static Timing timed(Callable<Void> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            long cpu = OS.getProcessCpuTime();
            long start = System.nanoTime();
            List<Future<Void>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                futures.add(pool.submit(work));
            }
            for (Future<Void> f : futures) {
                f.get();
            }
            return new Timing((System.nanoTime() - start) / 1e9, (OS.getProcessCpuTime() - cpu) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
