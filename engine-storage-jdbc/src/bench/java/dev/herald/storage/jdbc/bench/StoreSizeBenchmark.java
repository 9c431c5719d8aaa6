package dev.herald.storage.jdbc.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.herald.engine.model.Attempt;
import dev.herald.engine.model.DeliveryStatus;
import dev.herald.engine.model.Ids;
import dev.herald.engine.spi.DeliveryTask;
import dev.herald.engine.spi.Lease;
import dev.herald.engine.spi.Outcome;
import dev.herald.storage.jdbc.JdbcDeliveryStore;
import dev.herald.storage.jdbc.JdbcDialect;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The size of the H2 file against the data it holds. Not a test, and not what the {@code bench} profile
 * runs; compile it with that profile and run it on the test class path:
 * <pre>
 * mvn -B -q -pl engine-storage-jdbc -am -Pbench test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test
 * cd engine-storage-jdbc
 * java -cp target/test-classes:target/classes:$(cat cp.txt) dev.herald.storage.jdbc.bench.StoreSizeBenchmark
 * </pre>
 *
 * <p>Publishes {@code size.events} events of {@code size.dataBytes} bytes with {@code size.fanout}
 * deliveries each from {@code size.threads} threads, then claims and records every delivery as
 * SUCCEEDED, as {@link StoreBenchmark} does. It prints the file's size after publishing, after
 * completing, after closing the store and after opening it again, and beside the first two the size of
 * the same data compacted offline ({@code SHUTDOWN COMPACT} on a copy; {@code -Dsize.live=false} skips
 * it), which is the live data. The store is {@link JdbcDeliveryStore#h2File(Path)} unless
 * {@code size.url} gives a JDBC URL suffix (settings after the file name) to compare H2 settings; with
 * {@code size.maintainMs}, a thread of the benchmark runs MVStore compaction on such a store every so
 * many milliseconds ({@code size.compactBelow}, {@code size.compactWrite} tune it), to try compaction
 * settings without changing the store. {@code size.rate} paces publishing at so many deliveries per
 * second: a backlog built over minutes rather than in one burst.
 */
public final class StoreSizeBenchmark {
    private static final int EVENTS = Integer.getInteger("size.events", 20_000);
    private static final int FANOUT = Integer.getInteger("size.fanout", 10);
    private static final int DATA_BYTES = Integer.getInteger("size.dataBytes", 1024);
    private static final int THREADS = Integer.getInteger("size.threads", 2);
    private static final String URL_SUFFIX = System.getProperty("size.url");
    private static final int MAINTAIN_MS = Integer.getInteger("size.maintainMs", 0);
    private static final int COMPACT_BELOW = Integer.getInteger("size.compactBelow", 50);
    private static final int COMPACT_WRITE = Integer.getInteger("size.compactWrite", 4 << 20);
    private static final int RATE = Integer.getInteger("size.rate", 0);
    private static final boolean LIVE = Boolean.parseBoolean(System.getProperty("size.live", "true"));
    private static final int BATCH = 256;
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    private final Ids ids = new Ids(Clock.systemUTC(), new Random(7));
    private final Random random = new Random(11);

    private StoreSizeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.out.printf(Locale.ROOT, "JDK %s, %d cores, load average %.1f; %,d events x %d deliveries, %d B of data, "
                        + "%d threads, store %s%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), load(), EVENTS, FANOUT, DATA_BYTES, THREADS,
                URL_SUFFIX == null ? "h2File" : "URL suffix " + URL_SUFFIX);
        Path dir = Files.createTempDirectory("herald-size");
        try {
            new StoreSizeBenchmark().run(dir);
        } finally {
            deleteTree(dir);
        }
        System.out.printf(Locale.ROOT, "(load average now %.1f)%n", load());
    }

    private void run(Path dir) throws Exception {
        Path file = dir.resolve("store").resolve("herald.mv.db");
        BenchPublishes publishes = BenchPublishes.of(ids, EVENTS, FANOUT, NOW, this::data);
        long deliveries = (long) EVENTS * FANOUT;
        try (JdbcDeliveryStore store = open(dir.resolve("store"));
             Maintenance m = new Maintenance(dir.resolve("store"))) {
            AtomicLong next = new AtomicLong();
            long start = System.nanoTime();
            double seconds = onThreads(() -> {
                for (long i; (i = next.getAndIncrement()) < EVENTS; ) {
                    if (RATE > 0) {
                        // A backlog built at a steady rate rather than in one burst.
                        java.util.concurrent.locks.LockSupport.parkNanos(
                                start + i * FANOUT * 1_000_000_000L / RATE - System.nanoTime());
                    }
                    publishes.publish(store, (int) i);
                }
            });
            report("all pending", file, deliveries, seconds, liveSize(file, dir.resolve("copy-pending")));
            info(dir.resolve("store"));

            AtomicLong done = new AtomicLong();
            Instant claimAt = NOW.plusSeconds(1);
            seconds = onThreads(() -> {
                String owner = "worker-" + Thread.currentThread().getId();
                Lease lease = new Lease(owner, claimAt.plusSeconds(300));
                while (true) {
                    List<DeliveryTask> tasks = store.claimDue(lease, claimAt, BATCH);
                    if (tasks.isEmpty()) {
                        return;
                    }
                    List<Outcome> outcomes = new ArrayList<>(tasks.size());
                    for (DeliveryTask t : tasks) {
                        String id = t.delivery().id();
                        Attempt attempt = new Attempt(ids.next(Ids.ATTEMPT), id, 1, claimAt, Duration.ofMillis(12),
                                200, "ok", null, null);
                        outcomes.add(new Outcome(id, owner, attempt, DeliveryStatus.SUCCEEDED, 1, claimAt, null,
                                claimAt));
                    }
                    done.addAndGet(store.record(outcomes).size());
                }
            });
            if (done.get() != deliveries) {
                throw new IllegalStateException("completed " + done.get() + " of " + deliveries);
            }
            report("all succeeded", file, deliveries, seconds, liveSize(file, dir.resolve("copy-done")));
            info(dir.resolve("store"));
        }
        report("closed", file, deliveries, Double.NaN, -1);
        try (JdbcDeliveryStore store = open(dir.resolve("store"))) {
            report("reopened", file, deliveries, Double.NaN, -1);
        }
        report("closed again", file, deliveries, Double.NaN, -1);
    }

    private static JdbcDeliveryStore open(Path dir) {
        if (URL_SUFFIX == null) {
            return JdbcDeliveryStore.h2File(dir);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:file:" + dir.toAbsolutePath().resolve("herald") + URL_SUFFIX);
        config.setUsername("sa");
        config.setPassword("");
        config.setMaximumPoolSize(8);
        return JdbcDeliveryStore.builder().dataSource(new HikariDataSource(config)).dialect(JdbcDialect.H2)
                .closeDataSource(true).build();
    }

    /** Experimental: H2's compaction run from a thread of our own while the file is written at every commit. */
    private static final class Maintenance implements AutoCloseable {
        private final Thread thread;
        private volatile boolean stop;

        Maintenance(Path dir) throws SQLException {
            if (MAINTAIN_MS <= 0) {
                thread = null;
                return;
            }
            Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.toAbsolutePath().resolve("herald")
                    + (URL_SUFFIX == null ? ";DB_CLOSE_ON_EXIT=FALSE" : URL_SUFFIX), "sa", "");
            org.h2.mvstore.MVStore mv = ((org.h2.engine.SessionLocal) c.unwrap(org.h2.jdbc.JdbcConnection.class)
                    .getSession()).getDatabase().getStore().getMvStore();
            thread = new Thread(() -> {
                long rewrites = 0;
                try (c) {
                    while (!stop) {
                        Thread.sleep(MAINTAIN_MS);
                        org.h2.mvstore.FileStore<?> fs = mv.getFileStore();
                        if (fs.getChunksFillRate() < COMPACT_BELOW && mv.compact(COMPACT_BELOW, COMPACT_WRITE)) {
                            mv.commit();
                            rewrites++;
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Exception e) {
                    e.printStackTrace();
                }
                System.out.printf(Locale.ROOT, "               maintenance: %d passes rewrote pages%n", rewrites);
            }, "size-maintenance");
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            if (thread != null) {
                stop = true;
                thread.join();
            }
        }
    }

    /** H2's own account of the file: how full it is, and how full its chunks are. */
    private static void info(Path dir) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.toAbsolutePath().resolve("herald")
                + (URL_SUFFIX == null ? ";DB_CLOSE_ON_EXIT=FALSE" : URL_SUFFIX), "sa", "");
             Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT SETTING_NAME, SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS "
                     + "WHERE SETTING_NAME IN ('info.FILL_RATE', 'info.CHUNKS_FILL_RATE', 'info.CHUNKS_FILL_RATE_RW', "
                     + "'info.CHUNK_COUNT', 'info.FILE_WRITE_BYTES') ORDER BY SETTING_NAME")) {
            StringBuilder sb = new StringBuilder("               H2:");
            while (rs.next()) {
                sb.append(' ').append(rs.getString(1).substring(5)).append('=').append(rs.getString(2));
            }
            System.out.println(sb);
        }
    }

    /** A JSON document of about {@code DATA_BYTES}: repeated records with varying values, not one letter. */
    private String data(int n) {
        StringBuilder sb = new StringBuilder(DATA_BYTES + 200).append("{\"n\":").append(n).append(",\"items\":[");
        while (sb.length() < DATA_BYTES - 120) {
            sb.append("{\"id\":\"obj_").append(Long.toString(random.nextLong() & Long.MAX_VALUE, 36))
                    .append("\",\"size\":").append(random.nextInt(1_000_000))
                    .append(",\"etag\":\"").append(Long.toHexString(random.nextLong())).append("\"},");
        }
        sb.setLength(sb.length() - 1);
        sb.append("]}");
        return sb.toString();
    }

    /** The size of a copy of {@code file} once H2 has compacted it offline: what the live data takes. */
    private static long liveSize(Path file, Path copyDir) throws IOException, SQLException {
        if (!LIVE) {
            return -1;
        }
        Files.createDirectories(copyDir);
        Path copy = copyDir.resolve("herald.mv.db");
        Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + copyDir.resolve("herald"), "sa", "");
             Statement st = c.createStatement()) {
            st.execute("SHUTDOWN COMPACT");
        }
        long size = Files.size(copy);
        deleteTree(copyDir);
        return size;
    }

    private static void report(String stage, Path file, long deliveries, double seconds, long live) throws IOException {
        long size = Files.size(file);
        System.out.printf(Locale.ROOT, "%-14s file %,15d B (%,7.0f B/delivery)", stage, size, size / (double) deliveries);
        if (live >= 0) {
            System.out.printf(Locale.ROOT, "   live %,13d B (%,6.0f B/delivery)   file/live %.1f", live,
                    live / (double) deliveries, size / (double) live);
        }
        if (!Double.isNaN(seconds)) {
            System.out.printf(Locale.ROOT, "   %,.0f deliveries/s", deliveries / seconds);
        }
        System.out.println();
    }

    /** Runs {@code work} on every thread at once; returns the seconds until all finished. */
    private static double onThreads(ThrowingRunnable work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            long start = System.nanoTime();
            List<Future<Object>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                futures.add(pool.submit(() -> {
                    work.run();
                    return null;
                }));
            }
            for (Future<Object> f : futures) {
                f.get();
            }
            return (System.nanoTime() - start) / 1e9;
        } finally {
            pool.shutdownNow();
        }
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static double load() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
