package dev.herald.demo.bench;

import dev.herald.demo.config.HeraldProperties;
import dev.herald.demo.engine.HeraldFactory;
import dev.herald.demo.engine.InProcessQueueFactory;
import dev.herald.demo.engine.JdbcStoreFactory;
import dev.herald.demo.engine.RedisQueueFactory;
import dev.herald.demo.stack.EmbeddedPostgresServer;
import dev.herald.demo.stack.EmbeddedRedis;
import dev.herald.engine.memory.InMemoryDeliveryStore;
import dev.herald.engine.spi.DeliveryQueue;
import dev.herald.engine.spi.DeliveryStore;
import dev.herald.storage.jdbc.JdbcDeliveryStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * One store + queue set-up, built by the demo app's own factories with the demo's defaults, so the
 * benchmark measures what {@code herald.store.*} and {@code herald.queue.*} configure. PostgreSQL and Redis
 * are the embedded servers of the demo's tests, started once per JVM on first use.
 */
final class BenchStack implements AutoCloseable {

    /** The set-ups, by the name used on the command line. */
    enum Mode {
        MEMORY("memory", "in-memory store + in-process queue"),
        H2("h2", "embedded: H2 file + in-process queue"),
        /** Not a set-up to run Herald on: H2 with no file at all, to show what its SQL engine costs alone. */
        H2_MEMORY("h2-mem", "H2 in memory, no disk (diagnostic) + in-process queue"),
        H2_REDIS("h2-redis", "H2 file + Redis queue"),
        PG_REDIS("pg-redis", "PostgreSQL + Redis queue");

        final String id;
        final String label;

        Mode(String id, String label) {
            this.id = id;
            this.label = label;
        }

        static Mode of(String id) {
            return Arrays.stream(values()).filter(m -> m.id.equals(id)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown mode " + id + "; known: "
                            + Arrays.stream(values()).map(m -> m.id).toList()));
        }
    }

    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static EmbeddedRedis redis;

    final Mode mode;
    final Clock clock;
    final DeliveryStore store;
    final DeliveryQueue queue;
    /** The H2 directory, or null. */
    final Path dir;

    private BenchStack(Mode mode, Clock clock, DeliveryStore store, DeliveryQueue queue, Path dir) {
        this.mode = mode;
        this.clock = clock;
        this.store = store;
        this.queue = queue;
        this.dir = dir;
    }

    /** Opens the mode's store (H2 in a fresh directory under {@code parent}, PostgreSQL in a fresh database). */
    static BenchStack open(Mode mode, Path parent) throws IOException {
        Clock clock = new HeraldFactory().clock();
        HeraldProperties properties = new HeraldProperties();
        Path dir = null;
        DeliveryStore store;
        switch (mode) {
            case MEMORY -> store = new InMemoryDeliveryStore();
            case H2, H2_REDIS -> {
                dir = Files.createTempDirectory(parent, "herald-" + mode.id + "-");
                properties.setDataDir(dir.toString());
                store = new JdbcStoreFactory().deliveryStore(properties);
            }
            case H2_MEMORY -> store = JdbcDeliveryStore.h2Memory("bench-" + PREFIXES.incrementAndGet());
            case PG_REDIS -> {
                properties.getStore().getJdbc().setUrl(EmbeddedPostgresServer.newDatabaseUrl("bench"));
                properties.getStore().getJdbc().setUsername("postgres");
                store = new JdbcStoreFactory().deliveryStore(properties);
            }
            default -> throw new IllegalStateException(mode.toString());
        }
        DeliveryQueue queue;
        if (mode == Mode.H2_REDIS || mode == Mode.PG_REDIS) {
            properties.getQueue().getRedis().setUrl(redisUrl());
            properties.getQueue().getRedis().setKeyPrefix("bench-" + PREFIXES.incrementAndGet());
            queue = new RedisQueueFactory().deliveryQueue(properties, clock);
        } else {
            queue = new InProcessQueueFactory().deliveryQueue(clock);
        }
        return new BenchStack(mode, clock, store, queue, dir);
    }

    private static synchronized String redisUrl() {
        if (redis == null) {
            redis = EmbeddedRedis.launch();
        }
        return redis.url();
    }

    /**
     * CPU time so far of the PostgreSQL server this set-up talks to (postmaster and backends), 0 when it has
     * none: it runs on the same cores as the JVM, so a delivery's cost includes its share.
     */
    long postgresCpuNanos() {
        return mode == Mode.PG_REDIS ? ServerProcesses.listeningOn(EmbeddedPostgresServer.port()) : 0;
    }

    /** As {@link #postgresCpuNanos()}, for the Redis server. */
    long redisCpuNanos() {
        return mode == Mode.H2_REDIS || mode == Mode.PG_REDIS ? ServerProcesses.childrenNamed("redis-server") : 0;
    }

    /** The same set-up seen through another store object (a wrapper); closing stays with this one. */
    BenchStack withStore(DeliveryStore other) {
        return new BenchStack(mode, clock, other, queue, dir);
    }

    /** Bytes of the H2 files, 0 for other stores. */
    long bytesOnDisk() {
        return bytesOnDisk(dir);
    }

    static long bytesOnDisk(Path dir) {
        if (dir == null) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes the queue and the store, then deletes the H2 files. */
    @Override
    public void close() {
        queue.close();
        store.close();
        deleteTree(dir);
    }

    static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
